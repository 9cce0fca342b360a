"""The demo city's projects (load_demo --city, demo/projects.py): enough of
them, at every stage and standing, consistent with the progress rules, the
seed indicator's own project as its sheet tells it, history as if entered,
and a second load adding nothing. The city is loaded once for the module
(in a transaction rolled back at its end): it takes a while."""

import io
import re
import time
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction

from demo import projects as demo_projects
from indicators.models import FiscalYear
from projects import progress
from projects.models import Milestone, MilestoneProgress, Project, ProjectEvidence, ProjectUpdate

pytestmark = pytest.mark.django_db
Status = ProjectUpdate.Status
RUNNING_YEAR, OPEN_QUARTER, FINISHED_YEAR = 2570, 1, 2569


@pytest.fixture(scope="module")
def city(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", quiet_logins=True, city=True, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def everything():
    return Project.objects.select_related("fiscal_year", "owner").prefetch_related(
        "milestones", "updates__milestone_progress", "indicators__fiscal_year")


def running_updates():
    return ProjectUpdate.objects.filter(project__fiscal_year__year=RUNNING_YEAR, quarter=OPEN_QUARTER)


def counts():
    models = [Project, Milestone, ProjectUpdate, MilestoneProgress, ProjectEvidence]
    return {model.__name__: (model.objects.count(), model.history.count()) for model in models}


def test_at_least_a_hundred_projects_across_agencies_linked_to_indicators_of_their_year(city):
    linked = [p for p in everything() if p.indicators.all()]
    assert len(linked) >= 100
    assert all(i.fiscal_year_id == p.fiscal_year_id for p in linked for i in p.indicators.all())
    assert not Project.objects.filter(indicators=None).exists()
    assert Project.objects.values("owner").distinct().count() >= 30
    assert Project.objects.filter(owner__kind="district_office").exists()
    assert Project.objects.filter(owner__kind="department").exists()


def test_every_standing_is_there_on_the_open_quarters_day(city):
    day = demo_projects.reference_day(FiscalYear.objects.get(year=RUNNING_YEAR), OPEN_QUARTER)
    running = everything().filter(fiscal_year__year=RUNNING_YEAR)
    standings = Counter(demo_projects.standing_on(p, day) for p in running)
    assert set(standings) == set(progress.Standing)
    # The finished year ended: its projects are finished or overdue.
    finished = {demo_projects.standing_on(p, day) for p in everything().filter(fiscal_year__year=FINISHED_YEAR)}
    assert finished == {progress.Standing.FINISHED, progress.Standing.OVERDUE}


def test_the_open_quarter_is_at_every_stage_with_what_each_stage_carries(city):
    updates = running_updates()
    assert set(updates.values_list("status", flat=True)) == set(Status)
    assert not updates.filter(status=Status.NOT_STARTED, progress__isnull=False).exists()
    assert not updates.filter(status=Status.RETURNED, reviewer_comment="").exists()
    assert not updates.exclude(status__in=[Status.NOT_STARTED, Status.DRAFT]).filter(submitted_at=None).exists()
    accepted = updates.filter(status=Status.ACCEPTED)
    assert accepted.filter(score=None).exists()  # accepted, not scored yet
    scored = accepted.exclude(score=None)
    assert scored.exists() and not scored.filter(score_reason="").exists()
    assert not updates.exclude(status=Status.ACCEPTED).exclude(score=None).exists()


def test_behind_plan_updates_give_their_reason(city):
    day = demo_projects.reference_day(FiscalYear.objects.get(year=RUNNING_YEAR), OPEN_QUARTER)
    behind = 0
    for project in everything().filter(fiscal_year__year__in=[RUNNING_YEAR, FINISHED_YEAR]):
        for update in project.updates.all():
            if update.status == Status.NOT_STARTED:
                continue
            on = day if project.fiscal_year.year == RUNNING_YEAR else project.fiscal_year.quarter_period(
                update.quarter)[1]
            activities = [progress.Activity(m.weight, m.planned_start, m.planned_finish)
                          for m in project.milestones.all()]
            planned = progress.planned_progress(activities, project.planned_start, project.planned_finish, on)
            assert progress.delay_refusal(update.progress, planned, update.delay_reason) is None, update
            behind += progress.is_behind(update.progress, planned)
    assert behind >= 10


def test_warnings_are_the_rules_and_confirmed_over_budget_included(city):
    over = 0
    for project in everything():
        previous = None
        for update in project.updates.all():
            if update.status == Status.NOT_STARTED:
                continue
            expected = progress.warnings(
                progress=update.progress, previous_progress=previous, disbursed=update.disbursed,
                allocated=project.budget_allocated,
                actual_finish=project.actual_finish if update.quarter == max(
                    u.quarter for u in project.updates.all()) else None)
            assert update.warnings == expected, (project.code, update.quarter)
            assert update.warnings_confirmed == bool(expected)
            previous = update.progress
            over += progress.OVER_BUDGET in update.warnings
    assert over >= 3
    assert any(progress.OVER_BUDGET in u.warnings and u.warnings_confirmed for u in running_updates())
    # finished cases, with their actual finish
    assert Project.objects.filter(fiscal_year__year=RUNNING_YEAR, actual_finish__isnull=False).exists()


def test_weights_total_100_and_progress_is_their_weighted_sum(city):
    with_milestones = without = 0
    for project in everything():
        milestones = list(project.milestones.all())
        if not milestones:
            without += 1
            continue
        with_milestones += 1
        assert sum(m.weight for m in milestones) == Decimal(100), project.code
        assert progress.weights_refusal([m.weight for m in milestones]) is None
        weights = {m.pk: m.weight for m in milestones}
        for update in project.updates.all():
            rows = list(update.milestone_progress.all())
            if update.status == Status.NOT_STARTED:
                assert not rows
                continue
            assert {row.milestone_id for row in rows} == set(weights), (project.code, update.quarter)
            assert update.progress == progress.weighted_progress([(weights[r.milestone_id], r.percent) for r in rows])
    assert with_milestones >= 80 and without >= 10  # some progress typed


def test_the_seed_indicator_gets_the_project_its_narrative_describes(city):
    project = Project.objects.get(fiscal_year__year=2563, code=demo_projects.SEED_PROJECT_CODE)
    assert project.name == "โครงการรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต"
    assert list(project.indicators.values_list("code", flat=True)) == ["2100-1037"]
    assert project.owner.code == "2100"
    # The activities the narratives report and the evidence the sheet declares.
    names = " ".join(project.milestones.values_list("name", flat=True))
    for words in ["ทะเบียนประชาคม", "เวทีรับฟังความคิดเห็น", "รายงานผลการศึกษาบริบท", "หนังสือเชิญประชุม",
                  "แนวทางในการรับฟังความคิดเห็นของภาคประชาสังคม", "ผลการศึกษา", "ภาพถ่ายการจัดกิจกรรม"]:
        assert words in names
    updates = list(project.updates.order_by("quarter"))
    assert [u.progress for u in updates] == [4, 16, 37, 70]
    assert [u.status for u in updates] == [Status.ACCEPTED] * 3 + [Status.SUBMITTED]  # as the seed's results
    assert [u.score for u in updates] == [100, 100, 100, None]
    assert "ยังไม่มีการจัดเวที" in updates[0].narrative
    assert "0502/154" in updates[1].narrative and "COVID" in updates[1].delay_reason
    assert "24 กรกฎาคม 2563" in updates[3].narrative and "Futuretales Labs" in updates[3].narrative
    assert project.districts.count() == 50
    assert project.responsible_phone == "02 224 1234 ต่อ 1520"


def test_lineage_continues_last_years_projects_under_new_codes(city):
    continued = Project.objects.filter(fiscal_year__year=RUNNING_YEAR, continues_from__isnull=False).select_related(
        "continues_from__fiscal_year")
    assert continued.count() >= 20
    for project in continued:
        assert project.continues_from.fiscal_year.year == RUNNING_YEAR - 1
        assert project.continues_from.owner_id == project.owner_id
        project.full_clean(exclude=["code"])
    survey = Project.objects.get(fiscal_year__year=RUNNING_YEAR, code="3300-2531")
    assert survey.continues_from.code == "3300-2489"
    assert survey.updates.get(quarter=OPEN_QUARTER).progress == 15
    assert survey.continues_from.updates.get(quarter=3).score == 100


def test_the_records_read_as_a_citys(city):
    for project in everything():
        project.full_clean()
        assert project.name.startswith("โครงการ")
        assert re.fullmatch(r"02 \d{3} \d{4} ต่อ \d{4}", project.responsible_phone), project.responsible_phone
        assert project.responsible_name[:3] in ("นาย", "นาง")
        assert project.rationale and project.objectives and project.target_group and project.budget_source
        if project.budget_allocated is not None:
            assert project.budget_allocated.as_tuple().exponent == -2
    assert Project.objects.filter(budget_allocated=None).exists()  # some use no budget
    district_projects = Project.objects.filter(owner__kind="district_office")
    assert all(list(p.districts.all()) == [p.owner] for p in district_projects.prefetch_related("districts"))


def test_history_rows_are_there_as_if_entered(city):
    update = ProjectUpdate.objects.get(project__code=demo_projects.SEED_PROJECT_CODE, quarter=2)
    rows = list(update.history.order_by("history_date"))
    assert [r.status for r in rows] == [Status.DRAFT, Status.SUBMITTED, Status.ACCEPTED, Status.ACCEPTED]
    assert [r.history_type for r in rows] == ["+", "~", "~", "~"]
    assert rows[0].history_user.username == "reporter" and rows[2].history_user.username == "evaluator"
    assert all(r.history_change_reason for r in rows)
    assert rows[-1].score == 100 and "100" in rows[-1].history_change_reason
    # Every row has its history; reported updates have one row per step at least.
    assert ProjectUpdate.history.values("id").distinct().count() == ProjectUpdate.objects.count()
    returned = running_updates().filter(status=Status.RETURNED).first()
    assert [r.status for r in returned.history.order_by("history_date")][-1] == Status.RETURNED
    assert Project.history.filter(history_type="+").count() == Project.objects.count()
    assert Milestone.history.count() == Milestone.objects.count()
    assert MilestoneProgress.history.count() == MilestoneProgress.objects.count()
    for project in Project.objects.all()[:20]:
        assert project.history.earliest("history_date").history_date == project.created_at


def test_a_second_load_adds_nothing(city):
    before = counts()
    call_command("load_demo", quiet_logins=True, city=True, stdout=io.StringIO())
    assert counts() == before


def test_the_projects_are_the_same_each_time_and_quick(city):
    def fingerprint():
        return list(ProjectUpdate.objects.order_by("project__fiscal_year__year", "project__code", "quarter")
                    .values_list("project__code", "project__name", "quarter", "status", "progress", "disbursed"))

    first = fingerprint()
    with transaction.atomic():
        for model in (MilestoneProgress, ProjectUpdate, Milestone, Project):
            model.objects.all().delete()
        started = time.perf_counter()
        demo_projects.add_projects(city_years=(FINISHED_YEAR, RUNNING_YEAR, OPEN_QUARTER), log=lambda _: None)
        elapsed = time.perf_counter() - started
        assert fingerprint() == first
        transaction.set_rollback(True)
    assert elapsed < 10
