"""Who may see and write in a quarter's conversation: the owner agency's
reporters, its approvers, the evaluators and the administrators write;
managers (who read everything) read only. Never another agency, never the
public."""

from __future__ import annotations

from indicators import permissions
from indicators.permissions import AnyUser


def can_read(user: AnyUser, agency_id: int) -> bool:
    if not user.is_authenticated:
        return False
    return permissions.reads_everything(user) or can_write(user, agency_id)


def can_write(user: AnyUser, agency_id: int) -> bool:
    """Post, start, edit one's own, resolve and reopen."""
    if not user.is_authenticated:
        return False
    if permissions.is_administrator(user) or permissions.is_evaluator(user):
        return True
    if permissions.has_role(user, permissions.REPORTER) and agency_id in permissions.agency_ids_of(user):
        return True
    return agency_id in permissions.approver_agency_ids(user)
