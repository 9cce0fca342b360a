"""A project's sheet: everything its printed sheet shows, computed from a
project loaded by with_project_sheet_relations (a fixed number of queries
for one project or a book of hundreds) with no further query. The rules
(planned progress, budget used) are projects/progress.py's.

The sheet is cached and shared by everyone who may see the project, so it
holds nothing that depends on the viewer or on today: the plan's progress
is read at each quarter's last day, not "now"."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery

from indicators.models import QUARTERS, Indicator
from projects import progress
from projects.models import Milestone, MilestoneProgress, Project, ProjectEvidence, ProjectUpdate


def _reported_updates() -> QuerySet[ProjectUpdate]:
    """Updates with something in them (a row "not started" prints as nothing)."""
    return ProjectUpdate.objects.exclude(status=ProjectUpdate.Status.NOT_STARTED).order_by("quarter")


def with_project_sheet_relations(queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """Projects with everything their sheets show loaded up front."""
    if queryset is None:
        queryset = Project.objects.all()
    return queryset.select_related("fiscal_year", "owner").prefetch_related(
        Prefetch("districts"),
        Prefetch("milestones", queryset=Milestone.objects.order_by("order", "pk")),
        Prefetch("updates", queryset=_reported_updates().prefetch_related(
            Prefetch("milestone_progress", queryset=MilestoneProgress.objects.only("update_id", "milestone_id",
                                                                                   "percent")),
        ), to_attr="reported_updates"),
        Prefetch("evidence", queryset=ProjectEvidence.objects.filter(removed_at__isnull=True)
                 .order_by("quarter", "uploaded_at", "id"), to_attr="active_evidence"),
        Prefetch("indicators", queryset=Indicator.objects.order_by("code").only("id", "code", "name")),
    )


@dataclass
class MilestoneRow:
    milestone: Milestone
    # Its percent in the latest update that reports it (None: never reported).
    percent: Decimal | None
    quarter: int | None


@dataclass
class ProjectQuarter:
    number: int
    planned_progress: Decimal | None
    allocated: Decimal | None
    update: ProjectUpdate | None = None
    evidence: list = field(default_factory=list)

    @property
    def progress(self) -> Decimal | None:
        return self.update.progress if self.update else None

    @property
    def budget_used_percent(self) -> Decimal | None:
        return progress.budget_used_percent(self.update.disbursed if self.update else None, self.allocated)


@dataclass
class ProjectSheet:
    project: Project
    milestones: list[MilestoneRow]
    quarters: list[ProjectQuarter]
    indicators: list
    districts: list
    latest_progress: Decimal | None
    latest_quarter: int | None


def latest_progress(updates: Sequence[ProjectUpdate]) -> tuple[Decimal | None, int | None]:
    """The progress of the latest reported quarter that gives one, and that quarter."""
    for update in sorted(updates, key=lambda u: u.quarter, reverse=True):
        if update.progress is not None:
            return update.progress, update.quarter
    return None, None


def build_project_sheet(project: Project) -> ProjectSheet:
    if hasattr(project, "reported_updates"):
        updates: list[ProjectUpdate] = list(project.reported_updates)
    else:
        updates = list(_reported_updates().filter(project=project))
    by_quarter = {update.quarter: update for update in updates}
    milestones = list(project.milestones.all())
    activities = [progress.Activity(m.weight, m.planned_start, m.planned_finish) for m in milestones]

    latest: dict[int, tuple[Decimal, int]] = {}  # milestone pk: (percent, quarter) of its latest report
    for update in sorted(updates, key=lambda u: u.quarter):
        for row in update.milestone_progress.all():
            latest[row.milestone_id] = (row.percent, update.quarter)

    evidence: dict[int, list[Any]] = defaultdict(list)
    for item in getattr(project, "active_evidence", []):
        evidence[item.quarter].append(item)

    quarters = []
    for number in QUARTERS:
        _first, last = project.fiscal_year.quarter_period(number)
        planned = progress.planned_progress(activities, project.planned_start, project.planned_finish, last)
        quarters.append(ProjectQuarter(number, planned, project.budget_allocated, by_quarter.get(number),
                                       evidence[number]))

    percent, quarter = latest_progress(updates)
    return ProjectSheet(
        project=project,
        milestones=[MilestoneRow(m, *latest[m.pk]) if m.pk in latest else MilestoneRow(m, None, None)
                    for m in milestones],
        quarters=quarters,
        indicators=list(project.indicators.all()),
        districts=sorted(project.districts.all(), key=lambda agency: agency.name),
        latest_progress=percent,
        latest_quarter=quarter,
    )


@dataclass
class SupportingProject:
    """A row of an indicator sheet's "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด"."""

    code: str
    name: str
    progress: Decimal | None


def supporting_projects(indicators: Iterable[Indicator]) -> dict[int, list[SupportingProject]]:
    """{indicator pk: its linked projects of the indicator's own agency, by
    code, with their latest progress}: one query whatever the number of
    indicators and projects. The sheet is cached once for everyone who may
    see the indicator, so it never lists another agency's project."""
    latest = _reported_updates().filter(project=OuterRef("pk"), progress__isnull=False).order_by("-quarter")
    rows = (
        Project.objects.filter(indicators__in=[indicator.pk for indicator in indicators],
                               owner_id=F("indicators__owner_id"))
        .annotate(indicator_pk=F("indicators__id"), latest_progress=Subquery(latest.values("progress")[:1]))
        .order_by("code").values_list("indicator_pk", "code", "name", "latest_progress")
    )
    by_indicator: dict[int, list[SupportingProject]] = defaultdict(list)
    for indicator_pk, code, name, percent in rows:
        by_indicator[indicator_pk].append(SupportingProject(code, name, percent))
    return dict(by_indicator)
