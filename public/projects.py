"""What the public sees of projects, for the public site and the anonymous
API: the projects of a published fiscal year (FiscalYear.published, the
indicators' year rule), and of their quarterly updates only those the
evaluator accepted (ProjectUpdate.Status.ACCEPTED), as for an indicator's
quarters (indicators/public.py). An update not accepted is not there at
all: not its progress, spending, narrative, problems, delay reason or score.

Never public, whatever the status: the responsible person (name, phone,
user account), evidence files, the evaluator's comments and score reasons,
who submitted or reviewed, history. The public record below is built from
named fields only, so a field added to the models is not published by
accident. Each read runs a fixed number of queries."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet

from indicators.models import Agency, FiscalYear, Indicator
from projects import figures, progress
from projects.models import Milestone, MilestoneProgress, Project, ProjectUpdate

ACCEPTED = ProjectUpdate.Status.ACCEPTED
# What the public sees of a project and an accepted update (nothing else).
PROJECT_FIELDS = ("id", "fiscal_year_id", "code", "name", "owner_id", "rationale", "objectives", "target_group",
                  "planned_start", "planned_finish", "actual_start", "actual_finish", "budget_allocated",
                  "budget_source", "continues_from_id", "sheet_version")
UPDATE_FIELDS = ("id", "project_id", "quarter", "progress", "disbursed", "planned_disbursement", "narrative",
                 "problems", "delay_reason", "score", "status")


def public_projects(fiscal_year: FiscalYear | None = None) -> QuerySet[Project]:
    """Projects of published years (of this one, if given)."""
    queryset = Project.objects.filter(fiscal_year__published=True)
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
    return queryset


def searched(queryset: QuerySet[Project], q: str = "", agency: str = "") -> QuerySet[Project]:
    """The list's filters: words in the code or name, the owner's code."""
    if q.strip():
        queryset = queryset.filter(Q(code__icontains=q.strip()) | Q(name__icontains=q.strip()))
    if agency:
        queryset = queryset.filter(owner__code=agency)
    return queryset


def accepted_updates(statuses: Iterable[str] = figures.PUBLIC) -> QuerySet[ProjectUpdate]:
    return ProjectUpdate.objects.filter(status__in=list(statuses)).only(*UPDATE_FIELDS).order_by("quarter")


@dataclass
class PublicProjectRow:
    project: Project
    progress: Decimal | None
    disbursed: Decimal | None
    standing: progress.Standing

    @property
    def disbursed_percent(self) -> Decimal | None:
        return progress.budget_used_percent(self.disbursed, self.project.budget_allocated)


def list_rows(projects: list[Project], day: datetime.date) -> list[PublicProjectRow]:
    """A page of public projects with their standing from accepted updates
    only (projects/figures.py, three queries)."""
    by_id = {row["id"]: (row, standing) for row, standing in figures.project_standings(
        Project.objects.filter(pk__in=[p.pk for p in projects]), day, statuses=figures.PUBLIC)}
    rows = []
    for project in projects:
        row, standing = by_id[project.pk]
        rows.append(PublicProjectRow(project, row["latest_progress"], row["latest_disbursed"], standing))
    return rows


def list_queryset(fiscal_year: FiscalYear) -> QuerySet[Project]:
    return (public_projects(fiscal_year).select_related("owner").only("id", "code", "name", "owner__name",
                                                                        "owner__code", "budget_allocated",
                                                                        "planned_start", "planned_finish")
            .order_by("owner__code", "code"))


def agencies_with_projects(fiscal_year: FiscalYear) -> QuerySet[Agency]:
    return Agency.objects.filter(projects__fiscal_year=fiscal_year).distinct().order_by("kind", "code")


@dataclass
class PublicMilestone:
    milestone: Milestone
    percent: Decimal | None
    overdue: bool


@dataclass
class PublicProject:
    project: Project
    updates: list[ProjectUpdate]
    milestones: list[PublicMilestone]
    indicators: list[Indicator]
    districts: list[Agency]
    continues_from: Project | None
    continued_by: Project | None
    latest: ProjectUpdate | None
    standing: progress.Standing
    planned: Decimal | None
    day: datetime.date
    counted: frozenset[str] = field(default_factory=lambda: frozenset(figures.PUBLIC))

    @property
    def disbursed(self) -> Decimal | None:
        """Spending to date: the latest counted update that says it."""
        return next((u.disbursed for u in reversed(self.updates)
                     if u.disbursed is not None and u.status in self.counted), None)

    @property
    def disbursed_percent(self) -> Decimal | None:
        return progress.budget_used_percent(self.disbursed, self.project.budget_allocated)


def public_project(fiscal_year: FiscalYear, code: str) -> Project | None:
    """The project with what its public page shows loaded: its accepted
    updates (each with its activities' percent), its activities, its public
    indicators, its districts, the published projects before and after it
    in its lineage. Seven queries."""
    return loaded_project(Project.objects.filter(fiscal_year=fiscal_year, code=code), figures.PUBLIC,
                          public_projects(), Indicator.objects.public())


def loaded_project(queryset: QuerySet[Project], statuses: Iterable[str], neighbours: QuerySet[Project],
                   indicators: QuerySet[Indicator]) -> Project | None:
    """The one project of `queryset` with its updates of these statuses, its
    activities, districts, these of its indicators and these of its lineage
    (the API's tokens read it with what their owner may see)."""
    neighbours = neighbours.select_related("fiscal_year").only(
        "id", "code", "name", "fiscal_year__year", "continues_from_id")
    return (
        queryset.select_related("owner").only(
            *PROJECT_FIELDS, "owner__name", "owner__code", "owner__short_name")
        .prefetch_related(
            Prefetch("updates", queryset=accepted_updates(statuses).prefetch_related(
                Prefetch("milestone_progress", queryset=MilestoneProgress.objects.only(
                    "id", "update_id", "milestone_id", "percent")))),
            Prefetch("milestones", queryset=Milestone.objects.order_by("order", "pk")),
            Prefetch("indicators", queryset=indicators.only(
                "id", "code", "name", "fiscal_year__year").select_related("fiscal_year").order_by("code")),
            Prefetch("districts", queryset=Agency.objects.only("id", "name", "code").order_by("code")),
            Prefetch("continued_by", queryset=neighbours),
            Prefetch("continues_from", queryset=neighbours),
        ).first()
    )


def project_page(project: Project, day: datetime.date, counted: Iterable[str] = figures.PUBLIC) -> PublicProject:
    """The facts of a loaded project (public_project): its standing on
    `day` from its latest update of the `counted` statuses (accepted, for
    the public)."""
    counted = set(counted)
    updates = list(project.updates.all())
    latest = next((u for u in reversed(updates) if u.progress is not None and u.status in counted), None)
    percents = {mp.milestone_id: mp.percent for mp in latest.milestone_progress.all()} if latest else {}
    milestones = [PublicMilestone(m, percents.get(m.pk), progress.is_overdue(m.planned_finish, percents.get(m.pk), day))
                  for m in project.milestones.all()]
    activities = [progress.Activity(m.weight, m.planned_start, m.planned_finish) for m in project.milestones.all()]
    planned = progress.planned_progress(activities, project.planned_start, project.planned_finish, day)
    standing = progress.standing(
        progress=latest.progress if latest else None, planned=planned, planned_finish=project.planned_finish,
        actual_finish=project.actual_finish, any_activity_overdue=any(m.overdue for m in milestones), day=day)
    # Each side of the lineage only if its year is published (the prefetch
    # leaves the other out).
    continues_from = project.continues_from
    try:
        continued_by = project.continued_by
    except Project.DoesNotExist:
        continued_by = None
    return PublicProject(
        project=project, updates=updates, milestones=milestones, indicators=list(project.indicators.all()),
        districts=list(project.districts.all()), continues_from=continues_from, continued_by=continued_by,
        latest=latest, standing=standing, planned=planned, day=day, counted=frozenset(counted),
    )
