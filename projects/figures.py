"""An agency's project figures for a fiscal year, as the dashboard, the
agency scorecard and the public site show them: its projects by standing
(progress.standing on a day, from the latest reported progress), how many
are on plan and how many behind (behind plan or overdue), the budget
allocated and disbursed (the latest reported update's figure) and the
share disbursed. Three queries whatever the number of projects: the
projects with their latest update's figures, their milestones, and those
milestones' progress in those updates."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from . import progress
from .models import Milestone, MilestoneProgress, Project, ProjectUpdate

Status = ProjectUpdate.Status
# What staff pages count as reported: sent by the agency (a draft or a
# returned update is not yet its word). The public counts ACCEPTED only.
REPORTED = (Status.SUBMITTED, Status.ACCEPTED)
PUBLIC = (Status.ACCEPTED,)
ZERO = Decimal(0)


@dataclass
class ProjectFigures:
    """One agency's projects (or all of them, agency_id None) in a year."""

    agency_id: int | None
    count: int = 0
    by_standing: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in progress.Standing})
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO

    @property
    def on_plan(self) -> int:
        return self.by_standing[progress.Standing.ON_PLAN]

    @property
    def behind(self) -> int:
        """Behind the plan or overdue: the projects that need attention."""
        return self.by_standing[progress.Standing.BEHIND] + self.by_standing[progress.Standing.OVERDUE]

    @property
    def disbursed_percent(self) -> Decimal | None:
        return progress.budget_used_percent(self.disbursed, self.allocated)

    def add(self, standing: progress.Standing, allocated: Decimal | None, disbursed: Decimal | None) -> None:
        self.count += 1
        self.by_standing[standing.value] += 1
        self.allocated += allocated or ZERO
        self.disbursed += disbursed or ZERO


def _latest(statuses: Iterable[str], quarter: int) -> QuerySet[ProjectUpdate]:
    return (ProjectUpdate.objects.filter(project=OuterRef("pk"), quarter__lte=quarter, status__in=list(statuses))
            .order_by("-quarter"))


def project_standings(projects: QuerySet[Project], day: datetime.date, *, quarter: int = 4,
                      statuses: Iterable[str] = REPORTED) -> list[tuple[Mapping[str, Any], progress.Standing]]:
    """(row, standing) of each of these projects on `day`, from its latest
    update of these statuses up to `quarter`. A row holds id, owner_id,
    budget_allocated, latest_progress, latest_disbursed. Three queries."""
    statuses = list(statuses)
    latest = _latest(statuses, quarter)
    annotated = projects.order_by().annotate(
        latest_update=Subquery(latest.values("pk")[:1]),
        latest_progress=Subquery(latest.values("progress")[:1]),
        # Spending to date is cumulative: the latest update that says it.
        latest_disbursed=Subquery(latest.filter(disbursed__isnull=False).values("disbursed")[:1]),
    )
    rows = list(annotated.values("id", "owner_id", "planned_start", "planned_finish", "actual_finish",
                                 "budget_allocated", "latest_update", "latest_progress", "latest_disbursed"))
    activities: dict[int, list[tuple[int, progress.Activity]]] = {}
    milestones = (Milestone.objects.filter(project__in=projects.order_by().values("pk"))
                  .values_list("pk", "project_id", "weight", "planned_start", "planned_finish"))
    for pk, project_id, weight, start, finish in milestones:
        activities.setdefault(project_id, []).append((pk, progress.Activity(weight, start, finish)))
    percents = {
        (update_id, milestone_id): percent for update_id, milestone_id, percent in
        MilestoneProgress.objects.filter(update_id__in=annotated.values("latest_update"))
        .values_list("update_id", "milestone_id", "percent")
    }
    found: list[tuple[Mapping[str, Any], progress.Standing]] = []
    for row in rows:
        own = activities.get(row["id"], [])
        overdue = any(progress.is_overdue(activity.planned_finish, percents.get((row["latest_update"], pk)), day)
                      for pk, activity in own)
        planned = progress.planned_progress([activity for _pk, activity in own], row["planned_start"],
                                            row["planned_finish"], day)
        found.append((row, progress.standing(
            progress=row["latest_progress"], planned=planned, planned_finish=row["planned_finish"],
            actual_finish=row["actual_finish"], any_activity_overdue=overdue, day=day)))
    return found


def agency_figures(projects: QuerySet[Project], day: datetime.date, *, quarter: int = 4,
                   statuses: Iterable[str] = REPORTED) -> dict[int, ProjectFigures]:
    """{owner agency id: ProjectFigures} of these projects (one year's, the
    caller filters by year and by what the user may see). Three queries."""
    figures: dict[int, ProjectFigures] = {}
    for row, standing in project_standings(projects, day, quarter=quarter, statuses=statuses):
        owner = row["owner_id"]
        figures.setdefault(owner, ProjectFigures(owner)).add(
            standing, row["budget_allocated"], row["latest_disbursed"])
    return figures


def total(figures: Iterable[ProjectFigures]) -> ProjectFigures:
    """The figures of several agencies together."""
    whole = ProjectFigures(None)
    for part in figures:
        whole.count += part.count
        for key, n in part.by_standing.items():
            whole.by_standing[key] += n
        whole.allocated += part.allocated
        whole.disbursed += part.disbursed
    return whole


def figures_day(fiscal_year_end: datetime.date, quarter_end: datetime.date | None, today: datetime.date) -> datetime.date:
    """The day a year's standings are judged on: today, but no later than
    the end of the quarter shown (or of the year)."""
    return min(today, quarter_end or fiscal_year_end, fiscal_year_end)
