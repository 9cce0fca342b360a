"""Reads for the evaluator's project-update pages (the queue's project rows and
one update's review page), with their related rows loaded up front so each
page runs the same few queries whatever the number of updates, activities or
files."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from indicators.models import DistrictGroup
from projects import progress
from projects.models import MilestoneProgress, Project, ProjectEvidence, ProjectUpdate

from .review import NEWEST_FIRST, OLDEST_FIRST

ORDERS = {
    OLDEST_FIRST: (F("submitted_at").asc(nulls_last=True), "id"),
    NEWEST_FIRST: (F("submitted_at").desc(nulls_last=True), "-id"),
}


def waiting_updates(order: str = OLDEST_FIRST) -> QuerySet[ProjectUpdate]:
    """Submitted project updates waiting for review, the one waiting longest first."""
    return (
        ProjectUpdate.objects.filter(status=ProjectUpdate.Status.SUBMITTED)
        .select_related("project__fiscal_year", "project__owner__district_group", "submitted_by")
        .order_by(*ORDERS[order])
    )


def in_district_group(queryset: QuerySet[ProjectUpdate], group: DistrictGroup) -> QuerySet[ProjectUpdate]:
    """Updates of projects owned by a district office of the group, or
    happening in one of its districts."""
    hosted = Project.objects.filter(districts__district_group=group).values("pk")
    return queryset.filter(Q(project__owner__district_group=group) | Q(project_id__in=hosted))


def counts_by_quarter(queryset: QuerySet[ProjectUpdate]) -> dict[int, int]:
    rows = queryset.order_by().values("quarter").annotate(n=Count("id"))
    return {row["quarter"]: row["n"] for row in rows}


@dataclass(slots=True)
class ProjectQueueRow:
    update: ProjectUpdate
    days_waiting: int | None
    warning_texts: list[Promise | str]
    budget_used: Decimal | None


def warning_texts(codes: Iterable[str]) -> list[Promise | str]:
    """The Thai text of each warning code an update stored (an unknown code,
    from a rule since removed, is shown as it is)."""
    return [progress.WARNING_TEXT.get(code, code) for code in codes or []]


def with_queue_figures(updates: Iterable[ProjectUpdate], today: datetime.date) -> list[ProjectQueueRow]:
    """The queue's project rows with the days waited, the warnings' text and
    the budget used. No query."""
    return [
        ProjectQueueRow(
            update=update,
            days_waiting=(today - timezone.localdate(update.submitted_at)).days if update.submitted_at else None,
            warning_texts=warning_texts(update.warnings),
            budget_used=progress.budget_used_percent(update.disbursed, update.project.budget_allocated),
        )
        for update in updates
    ]


def update_for_review(project: Project, quarter: int) -> ProjectUpdate:
    """The project's quarter with what the review page shows of it; 404 when
    there is no update for it."""
    return get_object_or_404(
        ProjectUpdate.objects.select_related("project__fiscal_year", "project__owner", "submitted_by",
                                             "reviewed_by"),
        project=project,
        quarter=quarter,
    )


@dataclass(slots=True)
class ActivityRow:
    name: str
    weight: Decimal
    planned_start: datetime.date | None
    planned_finish: datetime.date | None
    percent: Decimal | None
    planned: Decimal | None
    overdue: bool


@dataclass(slots=True)
class UpdateFigures:
    """What the review page shows beside the update: its activities, the
    plan's progress at the quarter's end and the budget's use."""

    activities: list[ActivityRow]
    as_of: datetime.date
    planned: Decimal | None
    behind: bool
    budget_used: Decimal | None
    warning_texts: list[Promise | str]


def figures_of(update: ProjectUpdate) -> UpdateFigures:
    """The update against its plan, judged on the last day of its quarter
    (what the plan expected by the end of the period reported). Two queries."""
    project = update.project
    as_of = project.fiscal_year.quarter_period(update.quarter)[1]
    milestones = list(project.milestones.all())
    percents = dict(MilestoneProgress.objects.filter(update=update).values_list("milestone_id", "percent"))
    activities = [
        ActivityRow(
            name=m.name, weight=m.weight, planned_start=m.planned_start, planned_finish=m.planned_finish,
            percent=percents.get(m.pk),
            planned=progress.planned_fraction(m.planned_start, m.planned_finish, as_of),
            overdue=progress.is_overdue(m.planned_finish, percents.get(m.pk), as_of),
        )
        for m in milestones
    ]
    planned = progress.planned_progress(
        [progress.Activity(m.weight, m.planned_start, m.planned_finish) for m in milestones],
        project.planned_start, project.planned_finish, as_of,
    )
    return UpdateFigures(
        activities=activities,
        as_of=as_of,
        planned=planned,
        behind=progress.is_behind(update.progress, planned),
        budget_used=progress.budget_used_percent(update.disbursed, project.budget_allocated),
        warning_texts=warning_texts(update.warnings),
    )


def evidence_of(update: ProjectUpdate) -> list[ProjectEvidence]:
    """The quarter's current files, oldest first."""
    return list(
        ProjectEvidence.objects.filter(project_id=update.project_id, quarter=update.quarter, removed_at__isnull=True)
        .select_related("uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def project_url(project: Project) -> str:
    """The project's page (the pages feature's, at the address the issue sets)."""
    return f"/projects/{project.fiscal_year.year}/{project.code}/"


def evidence_url(evidence: ProjectEvidence) -> str:
    """Its download (projects' evidence view, built by the entry feature)."""
    return f"/projects/evidence/{evidence.pk}/"


def history_of(update: ProjectUpdate) -> list:
    """The update's history rows, newest first, with who made each."""
    return list(update.history.select_related("history_user").order_by("-history_date", "-history_id"))
