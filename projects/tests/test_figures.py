"""The project figures per agency (projects/figures.py): standings from the
latest reported update, behind = behind plan + overdue, the budget
disbursed from the latest update saying it, in a fixed three queries."""

import datetime
from decimal import Decimal

import pytest

from projects import figures
from projects.models import MilestoneProgress, Project, ProjectUpdate
from tests.factories import AgencyFactory, FiscalYearFactory, MilestoneFactory, ProjectFactory, ProjectUpdateFactory

D = Decimal
S = ProjectUpdate.Status
DAY = datetime.date(2025, 3, 31)  # quarter 2 of 2568 ends
pytestmark = pytest.mark.django_db


def _project(agency, year, **extra):
    return ProjectFactory(fiscal_year=year, owner=agency, planned_start=datetime.date(2024, 10, 1),
                          planned_finish=datetime.date(2025, 9, 30), **extra)


@pytest.fixture
def world():
    year = FiscalYearFactory(year=2568)
    agency, other = AgencyFactory(), AgencyFactory()
    # Half the year gone on DAY: the plan expects about 50 %.
    on_plan = _project(agency, year, budget_allocated=D("1000"))
    ProjectUpdateFactory(project=on_plan, quarter=1, status=S.ACCEPTED, progress=D("20"), disbursed=D("100"))
    ProjectUpdateFactory(project=on_plan, quarter=2, status=S.SUBMITTED, progress=D("60"), disbursed=D("300"))
    behind = _project(agency, year, budget_allocated=D("1000"))
    ProjectUpdateFactory(project=behind, quarter=1, status=S.ACCEPTED, progress=D("10"), disbursed=D("200"))
    # A draft is not reported: the accepted quarter 1 (10 %) stands.
    ProjectUpdateFactory(project=behind, quarter=2, status=S.DRAFT, progress=D("90"), disbursed=D("900"))
    overdue = _project(agency, year, budget_allocated=None)
    early = MilestoneFactory(project=overdue, weight=D("50"), planned_start=datetime.date(2024, 10, 1),
                             planned_finish=datetime.date(2024, 12, 31))
    MilestoneFactory(project=overdue, weight=D("50"), planned_start=datetime.date(2025, 1, 1),
                     planned_finish=datetime.date(2025, 12, 31))
    update = ProjectUpdateFactory(project=overdue, quarter=2, status=S.SUBMITTED, progress=D("80"))
    MilestoneProgress.objects.create(update=update, milestone=early, percent=D("90"))
    # Nothing reported, and the plan expects nothing yet.
    ProjectFactory(fiscal_year=year, owner=agency, planned_start=datetime.date(2025, 6, 1),
                   planned_finish=datetime.date(2025, 9, 30))
    finished = _project(other, year, budget_allocated=D("500"), actual_finish=datetime.date(2025, 2, 1))
    ProjectUpdateFactory(project=finished, quarter=1, status=S.ACCEPTED, progress=D("100"), disbursed=D("500"))
    return year, agency, other


def test_agency_figures(world, django_assert_num_queries):
    year, agency, other = world
    with django_assert_num_queries(3):
        found = figures.agency_figures(Project.objects.of_year(2568), DAY, quarter=2)
    mine = found[agency.pk]
    assert mine.count == 4
    assert mine.by_standing == {"not_started": 1, "on_plan": 1, "behind": 1, "overdue": 1, "finished": 0}
    assert (mine.on_plan, mine.behind) == (1, 2)
    assert mine.allocated == D("2000") + D("100000")  # the factory's default for the unreported one
    assert mine.disbursed == D("500")  # 300 (latest submitted) + 200 (the accepted, not the draft)
    assert mine.disbursed_percent == D("0.49")
    theirs = found[other.pk]
    assert (theirs.count, theirs.by_standing["finished"], theirs.disbursed_percent) == (1, 1, D("100.00"))


def test_public_statuses_count_accepted_updates_only(world):
    year, agency, other = world
    found = figures.agency_figures(Project.objects.of_year(2568), DAY, quarter=2, statuses=figures.PUBLIC)
    mine = found[agency.pk]
    # The on-plan project's submitted 60 % is not public: its accepted 20 % is behind the plan.
    assert mine.by_standing["behind"] == 2
    assert mine.disbursed == D("300")  # 100 + 200: accepted quarter 1 figures only
    # The overdue project's update is submitted only: nothing public, yet its milestone is past.
    assert mine.by_standing["overdue"] == 1


def test_quarter_bounds_the_latest_update(world):
    year, agency, other = world
    found = figures.agency_figures(Project.objects.of_year(2568), datetime.date(2024, 12, 31), quarter=1)
    assert found[agency.pk].disbursed == D("300")  # quarter 1's 100 + 200


def test_queries_do_not_grow_with_projects(world, django_assert_num_queries):
    year, agency, other = world
    for _n in range(5):
        project = _project(agency, year)
        MilestoneFactory(project=project, weight=D("100"))
        ProjectUpdateFactory(project=project, quarter=1, status=S.ACCEPTED, progress=D("5"))
    with django_assert_num_queries(3):
        found = figures.agency_figures(Project.objects.of_year(2568), DAY, quarter=2)
    assert found[agency.pk].count == 9


def test_total_and_empty():
    whole = figures.total([])
    assert (whole.count, whole.behind, whole.disbursed_percent) == (0, 0, None)
    first, second = figures.ProjectFigures(1), figures.ProjectFigures(2)
    first.add(figures.progress.Standing.BEHIND, D("100"), D("10"))
    second.add(figures.progress.Standing.OVERDUE, D("100"), None)
    whole = figures.total([first, second])
    assert (whole.count, whole.behind, whole.disbursed_percent) == (2, 2, D("5.00"))


def test_figures_day():
    end = datetime.date(2025, 9, 30)
    assert figures.figures_day(end, datetime.date(2024, 12, 31), datetime.date(2025, 5, 1)) == datetime.date(2024, 12, 31)
    assert figures.figures_day(end, None, datetime.date(2025, 5, 1)) == datetime.date(2025, 5, 1)
    assert figures.figures_day(end, None, datetime.date(2026, 5, 1)) == end
