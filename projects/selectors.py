"""Reads for the projects' pages: the list, the project's page and an
indicator's projects. Each runs a fixed number of queries whatever the number
of projects, activities or updates: the rows in one query, their activities,
updates and the latest activity percents in one query each. A project's
figures (progress, plan, standing, budget used) are put together in
projects/standing.py by the rules of projects/progress.py; the list reads
the ones standing.py stores on each row and works out the plan for the
rows of its page only."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from indicators.models import QUARTERS, Agency, FiscalYear, Indicator
from indicators.selectors import browse as indicator_browse

from . import progress, standing
from .models import Milestone, Project, ProjectUpdate
from .progress import Standing

# The figures of a project: one definition, in standing.py.
from .standing import (  # noqa: F401  (names the pages read here)
    Figures,
    MilestoneFigures,
    UpdateFigures,
    compute_figures,
    figures_of,
    latest_reported,
    load,
)

# --- the list -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowFigures:
    """What the list shows of a project: the stored figures
    (standing.refresh, for the day the list is drawn) and what the plan
    expects on that day, worked out for the rows of the page only."""

    progress: Decimal | None
    planned: Decimal | None
    standing: Standing
    allocated: Decimal | None
    disbursed: Decimal | None

    @property
    def budget_used(self) -> Decimal | None:
        return progress.budget_used_percent(self.disbursed, self.allocated)

    @property
    def standing_label(self) -> str:
        return str(self.standing.label)


@dataclass(frozen=True, slots=True)
class ListRow:
    """A project as the list shows it."""

    project: Project
    figures: Figures | RowFigures


# What no list shows; not loaded for thousands of rows.
LONG_TEXTS = ("rationale", "objectives", "target_group")


def list_queryset(queryset: QuerySet[Project]) -> QuerySet[Project]:
    """What a row shows loaded alongside, in the same query."""
    return queryset.select_related("fiscal_year", "owner", "owner__district_group").defer(*LONG_TEXTS)


def refresh_year(fiscal_year: FiscalYear | None, day: datetime.date) -> int:
    """Before the list filters by the stored standings: store `day`'s for
    the year's projects not yet refreshed on it (all the year's projects,
    whoever looks). One query when they are fresh, which they are after
    the day's first list of the year (or the nightly command); the day's
    first pass reads and writes the whole year: for 10,000 projects about
    1.5 s on SQLite, 2.2 s on PostgreSQL, and 6 to 9 s the first time ever,
    when every reported figure is new (benchmarks/projects_bench.py)."""
    if fiscal_year is None:
        return 0
    return standing.refresh_stale(Project.objects.filter(fiscal_year=fiscal_year), day)


def list_rows(queryset: QuerySet[Project] | Sequence[Project], day: datetime.date) -> list[ListRow]:
    """Rows for a page of projects (a sliced queryset or a list) whose
    stored figures are for `day` (standing.refresh_stale first): two
    queries however many rows, the page and its activities."""
    projects = list(queryset)
    milestones = standing.load_milestones([project.pk for project in projects])
    return [ListRow(project, RowFigures(
        progress=project.progress,
        planned=standing.planned_on(milestones.get(project.pk, []), project.planned_start, project.planned_finish,
                                    day),
        standing=Standing(project.standing), allocated=project.budget_allocated, disbursed=project.disbursed,
    )) for project in projects]


# --- one project's page ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    milestone: Milestone
    planned: Decimal | None  # the share of its span the plan expects done on the day
    percent: Decimal | None  # as the latest reported update records it
    overdue: bool


@dataclass(frozen=True, slots=True)
class QuarterRow:
    """One quarter of the project: the plan at its end against the update."""

    number: int
    ends_on: datetime.date
    planned: Decimal | None
    update: ProjectUpdate | None
    allocated: Decimal | None

    @property
    def budget_used(self) -> Decimal | None:
        return progress.budget_used_percent(self.disbursed, self.allocated)

    @property
    def progress(self) -> Decimal | None:
        return self.update.progress if self.update is not None else None

    @property
    def disbursed(self) -> Decimal | None:
        return self.update.disbursed if self.update is not None else None

    @property
    def planned_disbursement(self) -> Decimal | None:
        return self.update.planned_disbursement if self.update is not None else None

    @property
    def score(self) -> Decimal | None:
        return self.update.score if self.update is not None else None

    @property
    def status_label(self) -> str:
        status = self.update.status if self.update is not None else ProjectUpdate.Status.NOT_STARTED
        return str(ProjectUpdate.Status(status).label)


@dataclass(frozen=True, slots=True)
class LinkedIndicator:
    indicator: Indicator
    status: str
    quarter: int

    @property
    def status_label(self) -> str:
        return str(indicator_browse.STATUS_LABELS[self.status])


@dataclass(frozen=True, slots=True)
class TimelineBar:
    """One activity on the timeline, in the units of its viewBox (Timeline.WIDTH wide)."""

    row: MilestoneRow
    y: int
    planned_x: float | None
    planned_width: float | None
    done_width: float | None  # the reported percent of the planned span

    @property
    def after_x(self) -> float:
        """Where words after the bar start."""
        if self.planned_x is None or self.planned_width is None:
            return float(Timeline.LEFT)
        return round(self.planned_x + self.planned_width + 6, 1)

    @property
    def middle_y(self) -> int:
        return self.y + 11


@dataclass(frozen=True, slots=True)
class Timeline:
    bars: list[TimelineBar]
    today_x: float | None
    quarter_xs: list[tuple[int, float]]  # (quarter, where it starts)
    height: int
    ROW = 30
    TOP = 28
    LEFT = 40  # the activity's number on the left
    WIDTH = 1000
    RIGHT = 110  # room for the words "overdue" after a bar ending late in the year


@dataclass
class ProjectPage:
    project: Project
    figures: Figures
    milestones: list[MilestoneRow]
    quarters: list[QuarterRow]
    indicators: list[LinkedIndicator]
    timeline: Timeline
    continues_from: Project | None
    continued_by: Project | None
    districts: list[Any]
    latest_score: QuarterRow | None  # the latest quarter สยป. scored

    @property
    def has_overdue(self) -> bool:
        return any(row.overdue for row in self.milestones)


def page_queryset(queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    """A project with everything its page shows, in a fixed number of queries."""
    queryset = Project.objects.all() if queryset is None else queryset
    return queryset.select_related(
        "fiscal_year", "owner", "responsible_user", "continues_from__fiscal_year", "continues_from__owner",
        "continued_by__fiscal_year", "continued_by__owner",
    ).prefetch_related(
        "milestones",
        Prefetch("updates", queryset=ProjectUpdate.objects.prefetch_related("milestone_progress")),
        Prefetch("districts", queryset=Agency.objects.order_by("code")),
        Prefetch("indicators", queryset=Indicator.objects.select_related("owner").defer(
            *indicator_browse.LONG_TEXTS).order_by("code")),
    )


def _timeline(project: Project, rows: list[MilestoneRow], day: datetime.date) -> Timeline:
    fiscal_year = project.fiscal_year
    dates = [d for row in rows for d in (row.milestone.planned_start, row.milestone.planned_finish) if d]
    start = min([fiscal_year.starts_on, *dates])
    finish = max([fiscal_year.ends_on, *dates])
    span = max((finish - start).days, 1)

    usable = Timeline.WIDTH - Timeline.LEFT - Timeline.RIGHT

    def x(when: datetime.date) -> float:
        return round(Timeline.LEFT + usable * (when - start).days / span, 1)

    bars = []
    for n, row in enumerate(rows):
        m = row.milestone
        planned_x = planned_width = done_width = None
        if m.planned_start and m.planned_finish:
            planned_x = x(m.planned_start)
            planned_width = max(round(x(m.planned_finish) - planned_x, 1), 2.0)
            if row.percent is not None:
                done_width = round(planned_width * float(row.percent) / 100, 1)
        bars.append(TimelineBar(row, Timeline.TOP + n * Timeline.ROW, planned_x, planned_width, done_width))
    quarter_xs = [(q, x(fiscal_year.quarter_period(q)[0])) for q in QUARTERS]
    today_x = x(day) if start <= day <= finish else None
    return Timeline(bars, today_x, quarter_xs, Timeline.TOP + max(len(rows), 1) * Timeline.ROW + 8)


def project_page(project: Project, day: datetime.date) -> ProjectPage:
    """Everything the project's page shows, from a project loaded with
    page_queryset (plus one query: the year's reporting quarter, at which
    its indicators' statuses are read)."""
    milestones = list(project.milestones.all())
    updates = {u.quarter: u for u in project.updates.all()}
    figures_of_updates = [UpdateFigures(u.quarter, u.progress, u.disbursed, u.planned_disbursement)
                          for u in updates.values()]
    latest = latest_reported(figures_of_updates)
    latest_percents = ({p.milestone_id: p.percent for p in updates[latest.quarter].milestone_progress.all()}
                       if latest is not None else {})
    milestone_figures = [MilestoneFigures(m.pk, m.weight, m.planned_start, m.planned_finish) for m in milestones]
    figures = compute_figures(
        planned_start=project.planned_start, planned_finish=project.planned_finish,
        actual_finish=project.actual_finish, allocated=project.budget_allocated, milestones=milestone_figures,
        updates=figures_of_updates, latest_percents=latest_percents, day=day,
    )
    rows = [MilestoneRow(m, progress.planned_fraction(m.planned_start, m.planned_finish, day),
                         latest_percents.get(m.pk), progress.is_overdue(m.planned_finish, latest_percents.get(m.pk), day))
            for m in milestones]
    activities = standing.activities(milestone_figures)
    quarters = []
    for q in QUARTERS:
        ends_on = project.fiscal_year.quarter_period(q)[1]
        planned = progress.planned_progress(activities, project.planned_start, project.planned_finish, ends_on)
        quarters.append(QuarterRow(q, ends_on, planned, updates.get(q), project.budget_allocated))
    scored = [row for row in quarters if row.score is not None]

    reporting = (FiscalYear.objects.with_reporting_quarter(day).filter(pk=project.fiscal_year_id)
                 .values_list("reporting_quarter", flat=True).first())
    quarter = int(reporting or QUARTERS[-1])
    linked = [LinkedIndicator(ind, getattr(ind, f"status_q{quarter}"), quarter) for ind in project.indicators.all()]
    try:
        continued_by = project.continued_by
    except Project.DoesNotExist:
        continued_by = None
    return ProjectPage(
        project=project, figures=figures, milestones=rows, quarters=quarters, indicators=linked,
        timeline=_timeline(project, rows, day), continues_from=project.continues_from,
        continued_by=continued_by, districts=list(project.districts.all()),
        latest_score=scored[-1] if scored else None,
    )


# --- an indicator's projects ----------------------------------------------


def projects_of_indicator(indicator: Indicator, day: datetime.date, *, every_agency: bool = False) -> list[ListRow]:
    """The projects that support an indicator, with their figures, for the
    indicator's page: four queries, however many are linked (none too).
    Another agency's project is listed only for those who read every
    agency's (`every_agency`): whoever may see the indicator may see its
    own agency's projects, not necessarily another's."""
    linked = Project.objects.filter(indicators=indicator)
    if not every_agency:
        linked = linked.filter(owner_id=indicator.owner_id)
    projects = list(list_queryset(linked).order_by("code"))
    loaded = load(linked.order_by().values("pk"))
    return [ListRow(project, figures_of(project, loaded, day)) for project in projects]
