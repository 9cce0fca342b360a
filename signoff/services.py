"""The agency approver's writes (issue 24): approve a submitted quarter
(an indicator's result or a project's update) so that it goes on to the
evaluators' queue, or return it to the agency's reporters with a required
comment.

Each is one transaction on the locked row, refused unless the user signs
off the owner agency today (permissions.can_approve: as its approver or a
stand-in within the dates), the quarter awaits approval, and the row is
still at the version the approver saw (workflow.StaleVersion). Every step is
a history row with who and why, and a signal for the notices."""

from __future__ import annotations

import datetime
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations import services as conversations
from indicators import permissions, workflow
from indicators import signals as indicator_signals
from indicators.models import QuarterResult
from projects import signals as project_signals
from projects.models import ProjectUpdate

COMMENT_MAX_LENGTH = 5000
# A returned quarter stays open to its reporters at least this long, even
# when the reporting window has closed (as an evaluator's return does).
CORRECTION_DAYS = 14
# Put before the approver's comment in reviewer_comment, so that the
# reporter's form says who returned it (the field is shared with สยป.).
COMMENT_PREFIX = "ผู้อนุมัติของหน่วยงาน: "

Awaiting = QuarterResult.Status.AWAITING_APPROVAL
Row = TypeVar("Row", QuarterResult, ProjectUpdate)


def check_approver(user: User | AnonymousUser, agency_id: int) -> None:
    """403 unless the user signs off this agency's quarters today."""
    if not permissions.can_approve(user, agency_id):
        raise PermissionDenied(_("เฉพาะผู้อนุมัติของหน่วยงานนี้เท่านั้นที่อนุมัติหรือส่งกลับได้"))


def approve_result(*, result: QuarterResult, user: User, expected_version: int | str) -> QuarterResult:
    """AWAITING_APPROVAL → SUBMITTED: into the evaluators' queue as a plain submit."""
    with transaction.atomic():
        locked = _locked(QuarterResult, result, user, result.indicator.owner_id, expected_version)
        locked.status = QuarterResult.Status.SUBMITTED
        _save(locked, user, _("อนุมัติโดยผู้อนุมัติของหน่วยงาน ส่งต่อให้ สยป. ตรวจประเมิน"))
        indicator_signals.quarter_signed_off.send(sender=QuarterResult, result=locked, action="approved", user=user)
    return locked


def return_result(*, result: QuarterResult, user: User, expected_version: int | str, comment: str,
                  today: datetime.date | None = None) -> QuarterResult:
    """AWAITING_APPROVAL → RETURNED with the approver's comment."""
    comment = _required_comment(comment)
    with transaction.atomic():
        locked = _locked(QuarterResult, result, user, result.indicator.owner_id, expected_version)
        _return(locked, comment, today)
        _save(locked, user, _("ผู้อนุมัติของหน่วยงานส่งกลับแก้ไข: %(c)s") % {"c": comment})
        indicator_signals.quarter_signed_off.send(sender=QuarterResult, result=locked, action="returned", user=user)
        # The agency answers the approver's comment in the quarter's conversation.
        conversations.start_from_return(locked, user, comment)
    return locked


def approve_update(*, update: ProjectUpdate, user: User, expected_version: int | str) -> ProjectUpdate:
    """A project update's approve, as approve_result."""
    with transaction.atomic():
        locked = _locked(ProjectUpdate, update, user, update.project.owner_id, expected_version)
        locked.status = ProjectUpdate.Status.SUBMITTED
        _save(locked, user, _("อนุมัติโดยผู้อนุมัติของหน่วยงาน ส่งต่อให้ สยป. ตรวจประเมิน"))
        project_signals.update_signed_off.send(sender=ProjectUpdate, update=locked, action="approved", user=user)
    return locked


def return_update(*, update: ProjectUpdate, user: User, expected_version: int | str, comment: str,
                  today: datetime.date | None = None) -> ProjectUpdate:
    """A project update's return, as return_result."""
    comment = _required_comment(comment)
    with transaction.atomic():
        locked = _locked(ProjectUpdate, update, user, update.project.owner_id, expected_version)
        _return(locked, comment, today)
        _save(locked, user, _("ผู้อนุมัติของหน่วยงานส่งกลับแก้ไข: %(c)s") % {"c": comment})
        project_signals.update_signed_off.send(sender=ProjectUpdate, update=locked, action="returned", user=user)
        conversations.start_from_return(locked, user, comment)
    return locked


# --- helpers ---------------------------------------------------------------


def _locked(model: type[Row], row: Row, user: User, agency_id: int, expected_version: int | str) -> Row:
    """The row again, locked, once the user may sign it off, it is at the
    version they saw and it still awaits approval."""
    check_approver(user, agency_id)
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise workflow.StaleVersion() from None
    locked = model.objects.select_for_update(of=("self",)).order_by().get(pk=row.pk)
    if locked.version != expected:
        raise workflow.StaleVersion(locked)  # type: ignore[arg-type]  # the page reads .version etc.
    if locked.status != Awaiting:
        raise ValidationError(
            _("รายการนี้ไม่ได้อยู่ในสถานะรอหน่วยงานอนุมัติ (สถานะปัจจุบัน: %(status)s)")
            % {"status": locked.get_status_display()}, code="wrong_status")
    return locked


def _required_comment(comment: str | None) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("กรุณาระบุสิ่งที่ต้องการให้ผู้รายงานแก้ไข")}, code="required")
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": f"{COMMENT_MAX_LENGTH:,}"}},
                              code="too_long")
    return comment


def _return(row: QuarterResult | ProjectUpdate, comment: str, today: datetime.date | None) -> None:
    today = today or timezone.localdate()
    row.status = QuarterResult.Status.RETURNED if isinstance(row, QuarterResult) else ProjectUpdate.Status.RETURNED
    row.reviewer_comment = COMMENT_PREFIX + comment
    correct_by = today + datetime.timedelta(days=CORRECTION_DAYS)
    if row.reopened_until is None or row.reopened_until < correct_by:
        row.reopened_until = correct_by


def _save(row: QuarterResult | ProjectUpdate, user: User, reason: str) -> None:
    row.version += 1
    row.updated_by = user
    workflow.record_change(row, user, reason)
    row.save()
