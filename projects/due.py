"""Which projects still owe their quarter's update: the same rule as an
indicator's quarter (notifications/reminders.py due_indicators, reports/
progress.py), under the same reporting windows (indicators.models.Quarter).
An update is done once SUBMITTED or ACCEPTED; anything else (none yet, a
draft, one returned for correction) is still due. The reminders and the
reporting-progress page both count from here."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Q, QuerySet

from indicators.models import Quarter

from .models import Project, ProjectUpdate

# Waiting for the agency's approver counts as sent: no reminder for it.
DONE = (ProjectUpdate.Status.AWAITING_APPROVAL, ProjectUpdate.Status.SUBMITTED, ProjectUpdate.Status.ACCEPTED)
# Where one project's quarter stands on the progress page.
DUE, SUBMITTED, ACCEPTED = "due", "submitted", "accepted"
STATES = (DUE, SUBMITTED, ACCEPTED)


def state(status: str | None) -> str:
    """DUE, SUBMITTED or ACCEPTED for an update's status (None: no update yet)."""
    if status == ProjectUpdate.Status.ACCEPTED:
        return ACCEPTED
    if status == ProjectUpdate.Status.SUBMITTED:
        return SUBMITTED
    return DUE


def due_projects(quarter: Quarter, deadline: datetime.date | None = None,
                 agency_ids: Sequence[int] | None = None) -> QuerySet[Project]:
    """The projects of the quarter's year whose update for it is not yet
    submitted or accepted, ordered by agency and code, with their owner and
    year loaded (one query). Those an evaluator or administrator opened until
    after `deadline` (the window's close by default) are left out: their own
    date applies. `agency_ids` narrows to those agencies' projects."""
    deadline = deadline or quarter.closes_on
    done_or_later = ProjectUpdate.objects.filter(
        quarter=quarter.number, project__fiscal_year_id=quarter.fiscal_year_id)
    later = Q(reopened_until__gt=deadline) if deadline is not None else Q(pk__in=[])
    done_or_later = done_or_later.filter(Q(status__in=DONE) | later)
    projects = (
        Project.objects.filter(fiscal_year_id=quarter.fiscal_year_id)
        .exclude(pk__in=done_or_later.values("project_id"))
        .select_related("owner", "fiscal_year")
        .only("id", "code", "name", "owner_id", "owner__name", "owner__short_name", "fiscal_year__year")
        .order_by("owner_id", "code")
    )
    if agency_ids is not None:
        projects = projects.filter(owner_id__in=agency_ids)
    return projects
