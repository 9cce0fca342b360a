"""The figures stored on each project for the list (projects/standing.py):
the rules' answer for every standing case, refreshed after an update is
saved or reviewed and after its activities are edited, stale rows refreshed
by the daily command and by the list, and no history rows for them."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects import progress, review, services, standing
from projects.models import Project, ProjectUpdate
from projects.tests.test_progress_rules import STANDING_CASES, STANDING_DAY
from tests.factories import FiscalYearFactory, MilestoneFactory, ProjectFactory, ProjectUpdateFactory
from tests.test_project_entry import open_window
from tests.test_project_pages import edit_data, listed_codes, signed_in, url, world  # noqa: F401  (world: a fixture)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = datetime.timedelta


def thai(day):
    return f"{day.day}/{day.month}/{day.year + 543}"


def project_for_case(given, day):
    """A saved project whose figures on `day` are the case's inputs."""
    fields = {"planned_finish": given.get("planned_finish"), "actual_finish": given.get("actual_finish")}
    if given.get("planned") is not None:
        # 100 days from start to finish: the plan expects one point a day.
        start = day - DAYS(int(given["planned"]))
        fields.update(planned_start=start, planned_finish=start + DAYS(100))
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2568), **fields)
    if given.get("any_activity_overdue"):
        MilestoneFactory(project=project, weight=D(100), planned_finish=day - DAYS(1))
    if given.get("progress") is not None:
        ProjectUpdateFactory(project=project, quarter=1, progress=given["progress"], disbursed=D("1234.50"))
    return project


@pytest.mark.parametrize(("given", "expected"), STANDING_CASES)
def test_the_stored_standing_is_the_rules_answer(given, expected):
    project = project_for_case(given, STANDING_DAY)
    history_rows = project.history.count()
    assert standing.refresh(Project.objects.filter(pk=project.pk), STANDING_DAY) == 1
    project.refresh_from_db()
    values = {"progress": None, "planned": None, "planned_finish": None, "actual_finish": None,
              "any_activity_overdue": False, "day": STANDING_DAY, **given}
    assert project.standing == progress.standing(**values) == expected
    assert project.progress == given.get("progress")
    assert project.disbursed == (D("1234.50") if given.get("progress") is not None else None)
    assert project.standing_on == STANDING_DAY
    # Derived values: no history row.
    assert project.history.count() == history_rows


def test_the_stored_figures_are_the_latest_reported_update():
    project = ProjectFactory(planned_start=TODAY - DAYS(50), planned_finish=TODAY + DAYS(50))
    ProjectUpdateFactory(project=project, quarter=1, progress=D(20), disbursed=D(100))
    ProjectUpdateFactory(project=project, quarter=2, progress=D(60), disbursed=None)
    ProjectUpdateFactory(project=project, quarter=3, progress=None, disbursed=None)
    standing.refresh_ids([project.pk], TODAY)
    project.refresh_from_db()
    # Quarter 2 reports the progress; quarter 1 the latest spending.
    assert (project.progress, project.disbursed, project.standing) == (D(60), D(100), progress.Standing.ON_PLAN)


def test_saving_an_update_refreshes_the_stored_figures(make_user):
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2570), planned_start=TODAY - DAYS(50),
                             planned_finish=TODAY + DAYS(50))
    open_window(project.fiscal_year, 1)
    reporter = make_user("reporter", [project.owner])
    services.save_project_update(user=reporter, project=project, quarter=1, expected_version=0,
                                 changes=services.UpdateChanges(progress=D("30"), disbursed=D("5000")))
    project.refresh_from_db()
    assert (project.progress, project.disbursed) == (D(30), D(5000))
    assert project.standing == progress.Standing.BEHIND and project.standing_on == TODAY


def test_a_review_action_refreshes_the_stored_figures(make_user):
    project = ProjectFactory(planned_start=TODAY - DAYS(10), planned_finish=TODAY + DAYS(90))
    update = ProjectUpdateFactory(project=project, quarter=2, progress=D(40), disbursed=D(300),
                                  status=ProjectUpdate.Status.SUBMITTED, submitted_at=timezone.now(), version=3)
    assert project.standing_on is None
    review.accept(update=update, user=make_user("evaluator"), expected_version=3)
    project.refresh_from_db()
    assert (project.progress, project.disbursed, project.standing, project.standing_on) == (
        D(40), D(300), progress.Standing.ON_PLAN, TODAY)


def test_editing_the_activities_refreshes_the_stored_standing(world):  # noqa: F811
    client = signed_in(world["manager"])
    mine = world["mine"]
    # Half way through both activities, 10 % done: behind.
    assert mine.code in listed_codes(client.get("/projects/?year=2570&standing=behind"))
    rows = [{"id": str(m.pk), "project": str(mine.pk), "order": str(n), "name": m.name, "weight": "50",
             "planned_start": thai(TODAY - DAYS(60)), "planned_finish": thai(TODAY - DAYS(1))}
            for n, m in enumerate(mine.milestones.all())]
    response = signed_in(world["reporter"]).post(url(mine, "edit/"), edit_data(mine, rows))
    assert response.status_code == 302
    mine.refresh_from_db()
    # Both activities past their finish, not complete: overdue, today.
    assert mine.standing == progress.Standing.OVERDUE and mine.standing_on == TODAY
    assert mine.code in listed_codes(client.get("/projects/?year=2570&standing=overdue"))


def _stale(project, wrong=progress.Standing.FINISHED):
    Project.objects.filter(pk=project.pk).update(standing=wrong, standing_on=TODAY - DAYS(1))


def test_the_daily_command_refreshes_the_current_years_stale_projects():
    current = FiscalYearFactory(year=standing.fiscal_year_of(TODAY))
    behind = ProjectFactory(fiscal_year=current, planned_start=TODAY - DAYS(90), planned_finish=TODAY + DAYS(10))
    ProjectUpdateFactory(project=behind, quarter=1, progress=D(5))
    earlier = ProjectFactory(fiscal_year=FiscalYearFactory(year=current.year - 1))
    _stale(behind)
    _stale(earlier)
    call_command("refresh_project_standings", stdout=open("/dev/null", "w"))
    behind.refresh_from_db()
    earlier.refresh_from_db()
    assert (behind.standing, behind.standing_on) == (progress.Standing.BEHIND, TODAY)
    # Another year is left as it was (the list refreshes it when shown).
    assert (earlier.standing, earlier.standing_on) == (progress.Standing.FINISHED, TODAY - DAYS(1))


def test_the_list_refreshes_its_years_stale_rows_and_reads_fresh_ones_as_stored(world):  # noqa: F811
    client = signed_in(world["manager"])
    mine, other = world["mine"], world["other"]
    _stale(mine)  # yesterday's, and wrong today
    assert listed_codes(client.get("/projects/?year=2570&standing=behind")) == [mine.code, other.code]
    mine.refresh_from_db()
    assert (mine.standing, mine.standing_on) == (progress.Standing.BEHIND, TODAY)
    # Refreshed today already: read as stored, not worked out again.
    Project.objects.filter(pk=other.pk).update(standing=progress.Standing.FINISHED)
    assert listed_codes(client.get("/projects/?year=2570&standing=finished")) == [other.code]


def test_the_rollover_does_not_copy_last_years_figures():
    from yearsetup.rollover import PROJECT_NOT_COPIED

    assert set(standing.STORED_FIELDS) <= PROJECT_NOT_COPIED
