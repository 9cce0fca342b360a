"""Where each project stands, worked out from its activities and updates by
the rules of projects/progress.py and kept on its row (Project.progress,
.disbursed, .standing, .standing_on), as indicators/stored_status.py keeps an
indicator's statuses: the project list filters a year of ten thousand
projects by standing with an indexed read instead of working out every
project's figures on every request.

compute_figures is the one place a project's figures (the list's, the
project page's, an indicator's projects') are put together from the rules.

The plan's expected progress moves with the calendar, so the stored values
hold for the day `standing_on` only. `refresh(projects, day)` stores them; it
is called after every write they depend on (an update saved or reviewed,
activities edited, the workbook import, the rollover, the demo), daily by
`manage.py refresh_project_standings`, and by the list page itself for the
shown year's rows not yet refreshed today (`refresh_stale`). The writes go
through queryset.update / bulk_update: no save(), so no history row (these
are derived values; Project.history excludes them too)."""

import datetime
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery

from . import progress
from .models import Milestone, MilestoneProgress, Project, ProjectUpdate
from .progress import Activity, Standing

STORED_FIELDS = ("progress", "disbursed", "standing", "standing_on")
# Ids per pass: keeps each IN list well below SQLite's parameter limit.
CHUNK = 2000
# Rows per UPDATE of bulk_update.
BATCH = 500

# --- the figures of one project, from plain values ------------------------


@dataclass(frozen=True, slots=True)
class UpdateFigures:
    """What the figures read of one quarter's update."""

    quarter: int
    progress: Decimal | None
    disbursed: Decimal | None
    planned_disbursement: Decimal | None


@dataclass(frozen=True, slots=True)
class MilestoneFigures:
    """What the figures read of one activity."""

    id: int
    weight: Decimal
    planned_start: datetime.date | None
    planned_finish: datetime.date | None


@dataclass(frozen=True, slots=True)
class Figures:
    """Where a project stands on a day."""

    progress: Decimal | None  # the latest reported progress
    progress_quarter: int | None  # the quarter that reported it
    planned: Decimal | None  # what the plan expects on the day
    standing: Standing
    any_activity_overdue: bool
    allocated: Decimal | None
    disbursed: Decimal | None  # to date: the latest update that reports it
    budget_used: Decimal | None

    @property
    def standing_label(self) -> str:
        return str(self.standing.label)


def activities(milestones: Sequence[MilestoneFigures]) -> list[Activity]:
    return [Activity(m.weight, m.planned_start, m.planned_finish) for m in milestones]


def latest_reported(updates: Iterable[UpdateFigures]) -> UpdateFigures | None:
    """The latest quarter's update that reports a progress."""
    reported = [u for u in updates if u.progress is not None]
    return max(reported, key=lambda u: u.quarter) if reported else None


def planned_on(milestones: Sequence[MilestoneFigures], planned_start: datetime.date | None,
               planned_finish: datetime.date | None, day: datetime.date) -> Decimal | None:
    """What the plan expects done on `day` (progress.planned_progress)."""
    return progress.planned_progress(activities(milestones), planned_start, planned_finish, day)


def compute_figures(*, planned_start: datetime.date | None, planned_finish: datetime.date | None,
                    actual_finish: datetime.date | None, allocated: Decimal | None,
                    milestones: Sequence[MilestoneFigures], updates: Sequence[UpdateFigures],
                    latest_percents: Mapping[int, Decimal], day: datetime.date) -> Figures:
    """A project's figures on `day`. `latest_percents`: {milestone id:
    percent} as the latest reported update records them."""
    latest = latest_reported(updates)
    planned = planned_on(milestones, planned_start, planned_finish, day)
    any_overdue = any(progress.is_overdue(m.planned_finish, latest_percents.get(m.id), day) for m in milestones)
    with_spending = [u for u in updates if u.disbursed is not None]
    disbursed = max(with_spending, key=lambda u: u.quarter).disbursed if with_spending else None
    reported = latest.progress if latest is not None else None
    return Figures(
        progress=reported,
        progress_quarter=latest.quarter if latest is not None else None,
        planned=planned,
        standing=progress.standing(progress=reported, planned=planned, planned_finish=planned_finish,
                                   actual_finish=actual_finish, any_activity_overdue=any_overdue, day=day),
        any_activity_overdue=any_overdue,
        allocated=allocated,
        disbursed=disbursed,
        budget_used=progress.budget_used_percent(disbursed, allocated),
    )


# --- loading the figures of many projects ---------------------------------

UPDATE_FIELDS = ("quarter", "progress", "disbursed", "planned_disbursement")
MILESTONE_FIELDS = ("id", "weight", "planned_start", "planned_finish")


def _latest_reported_quarter() -> Subquery:
    """SQL: the latest quarter with a progress of the update's project."""
    return Subquery(
        ProjectUpdate.objects.filter(project_id=OuterRef("update__project_id"), progress__isnull=False)
        .order_by("-quarter").values("quarter")[:1]
    )


@dataclass
class Loaded:
    milestones: dict[int, list[MilestoneFigures]] = field(default_factory=dict)
    updates: dict[int, list[UpdateFigures]] = field(default_factory=dict)
    latest_percents: dict[int, dict[int, Decimal]] = field(default_factory=dict)


def load_milestones(ids: Any) -> dict[int, list[MilestoneFigures]]:
    """{project id: its activities} of the projects `ids` names: one query."""
    found: dict[int, list[MilestoneFigures]] = {}
    milestones = (Milestone.objects.filter(project_id__in=ids).order_by("project_id", "order", "pk")
                  .values_list("project_id", *MILESTONE_FIELDS))
    for project_id, *values in milestones:
        found.setdefault(project_id, []).append(MilestoneFigures(*values))
    return found


def load(ids: Any) -> Loaded:
    """The activities, updates and latest activity percents of the projects
    `ids` names (a list of ids, or a values("pk") subquery so that ten
    thousand ids are never sent as parameters): three queries."""
    loaded = Loaded(milestones=load_milestones(ids))
    updates = ProjectUpdate.objects.filter(project_id__in=ids).order_by().values_list("project_id", *UPDATE_FIELDS)
    for project_id, *values in updates:
        loaded.updates.setdefault(project_id, []).append(UpdateFigures(*values))
    percents = (
        MilestoneProgress.objects.filter(update__project_id__in=ids, update__progress__isnull=False,
                                         update__quarter=_latest_reported_quarter())
        .order_by().values_list("update__project_id", "milestone_id", "percent")
    )
    for project_id, milestone_id, percent in percents:
        loaded.latest_percents.setdefault(project_id, {})[milestone_id] = percent
    return loaded


def figures_of(project: Any, loaded: Loaded, day: datetime.date) -> Figures:
    """The figures of a project (anything with pk, the planned dates,
    actual_finish and budget_allocated) from what `load` read."""
    return compute_figures(
        planned_start=project.planned_start, planned_finish=project.planned_finish,
        actual_finish=project.actual_finish, allocated=project.budget_allocated,
        milestones=loaded.milestones.get(project.pk, []), updates=loaded.updates.get(project.pk, []),
        latest_percents=loaded.latest_percents.get(project.pk, {}), day=day,
    )


# --- storing them -----------------------------------------------------------

@dataclass(slots=True)
class _Row:
    """What a refresh reads of a project's own row."""

    pk: int
    planned_start: datetime.date | None
    planned_finish: datetime.date | None
    actual_finish: datetime.date | None
    budget_allocated: Decimal | None
    progress: Decimal | None
    disbursed: Decimal | None
    standing: str


_ROW_FIELDS = ("pk", "planned_start", "planned_finish", "actual_finish", "budget_allocated",
               "progress", "disbursed", "standing")


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start:start + CHUNK]


def refresh(projects: QuerySet[Project], day: datetime.date) -> int:
    """Store the rules' figures on `day` for these projects; how many were
    refreshed. One query for their ids, then per 2,000 projects: their rows
    (locked), their activities, updates and latest percents, one UPDATE per
    500 whose reported progress or spending changed, and one per standing
    (with the date).

    The rows are read again under a lock with `projects`' own conditions:
    a refresh of stale rows that waited for a writer's refresh skips the
    rows that writer just refreshed rather than overwriting them with what
    it read before."""
    ids = list(projects.order_by().values_list("pk", flat=True))
    if not ids:
        return 0  # nothing to do: not even a savepoint
    with transaction.atomic():  # the writer's own transaction when it has one
        for chunk in _chunks(ids):
            rows = [_Row(*values) for values in projects.filter(pk__in=chunk).order_by("pk")
                    .select_for_update(of=("self",)).values_list(*_ROW_FIELDS)]
            if not rows:
                continue
            loaded = load([row.pk for row in rows])
            by_standing: dict[str, list[int]] = {}
            reported = []
            for row in rows:
                figures = figures_of(row, loaded, day)
                by_standing.setdefault(figures.standing, []).append(row.pk)
                if (row.progress, row.disbursed) != (figures.progress, figures.disbursed):
                    reported.append(Project(pk=row.pk, progress=figures.progress, disbursed=figures.disbursed))
            # The reported figures change only when an update does (its
            # save refreshes them): few rows, bar the first pass.
            if reported:
                Project.objects.bulk_update(reported, ["progress", "disbursed"], batch_size=BATCH)
            # The standings move with the calendar: one UPDATE per standing.
            for value, pks in by_standing.items():
                Project.objects.filter(pk__in=pks).update(standing=value, standing_on=day)
    return len(ids)


def refresh_ids(ids: Iterable[int], day: datetime.date) -> int:
    """refresh() for projects named by id (the writers' form)."""
    return refresh(Project.objects.filter(pk__in=list(ids)), day)


def stale(projects: QuerySet[Project], day: datetime.date) -> QuerySet[Project]:
    """Those of these projects whose stored figures are not for `day`
    (never computed, or computed on an earlier day)."""
    return projects.filter(Q(standing_on__isnull=True) | Q(standing_on__lt=day))


def fiscal_year_of(day: datetime.date) -> int:
    """The fiscal year (B.E.) `day` falls in: it starts on 1 October."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


def refresh_stale(projects: QuerySet[Project], day: datetime.date) -> int:
    """Refresh those of these projects not yet refreshed on `day`: one
    query when all are fresh (every request after the day's first)."""
    return refresh(stale(projects, day), day)
