"""The audit log (/audit/): who may read it, every kind of change on it,
its filters, its fixed number of queries, its field diffs and its XLSX
export (at once, or as a background job)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from openpyxl import load_workbook

from audit import log
from audit.models import RoleChange
from indicators.models import AgencyApprover, QuarterResult
from indicators.workflow import record_change
from jobs.models import Job
from reports.models import Evidence
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    NarrativeFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    QuarterResultFactory,
    UserFactory,
)

LIST, EXPORT = "/audit/", "/audit/export.xlsx"


def kinds_on(response):
    return [entry.kind for entry in response.context["entries"]]


def change_result(result, user, value, reason="แก้ไขผลงาน"):
    result.value = Decimal(value)
    record_change(result, user, reason)
    result.save()


@pytest.fixture
def evaluator(make_user):
    return make_user("evaluator")


@pytest.fixture
def world(db):
    """Two agencies of two years, a result of each with a change."""
    agency_a, agency_b = AgencyFactory(short_name="สยป."), AgencyFactory(short_name="เขตพระนคร")
    year_a, year_b = FiscalYearFactory(year=2567), FiscalYearFactory(year=2568)
    reporter_a, reporter_b = UserFactory(username="somchai"), UserFactory(username="somsri")
    result_a = QuarterResultFactory(indicator=IndicatorFactory(owner=agency_a, fiscal_year=year_a, code="A-1"),
                                    quarter=1, value=Decimal("10"))
    result_b = QuarterResultFactory(indicator=IndicatorFactory(owner=agency_b, fiscal_year=year_b, code="B-1"),
                                    quarter=3, value=Decimal("5"))
    change_result(result_a, reporter_a, "12")
    change_result(result_b, reporter_b, "7")
    return {"agency_a": agency_a, "agency_b": agency_b, "reporter_a": reporter_a, "reporter_b": reporter_b,
            "result_a": result_a, "result_b": result_b}


# --- who may read it ---------------------------------------------------------

@pytest.mark.parametrize("role", ["reporter", "manager", "approver"])
@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_refused_to_reporters_managers_and_approvers(client, make_user, role, url):
    agency = AgencyFactory()
    user = make_user(role, agencies=[agency])
    if role == "approver":
        AgencyApprover.objects.create(agency=agency, user=user)
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


@pytest.mark.parametrize("url", [LIST, EXPORT])
def test_anonymous_is_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", ["evaluator", "administrator"])
def test_evaluators_and_administrators_read_it_and_see_the_link(client, make_user, role):
    client.force_login(make_user(role))
    response = client.get(LIST)
    assert response.status_code == 200
    assert 'id="nav-audit"' in response.content.decode()


def test_the_link_is_not_shown_to_reporters(client, make_user):
    client.force_login(make_user("reporter", agencies=[AgencyFactory()]))
    assert 'id="nav-audit"' not in client.get("/accounts/password/change/").content.decode()


# --- every kind of change ----------------------------------------------------

def test_each_kind_of_change_appears(client, evaluator, world):
    user = world["reporter_a"]
    indicator = world["result_a"].indicator
    narrative = NarrativeFactory(indicator=indicator, quarter=1)
    narrative.text = "รายงานใหม่"
    record_change(narrative, user, "แก้รายงาน")
    narrative.save()
    Evidence.objects.create(indicator=indicator, quarter=1, file="evidence/1/x", original_name="ภาพถ่าย.jpg",
                            content_type="image/jpeg", size=10, uploaded_by=user)
    indicator.name = "ชื่อใหม่ของตัวชี้วัด"
    record_change(indicator, user, "นำเข้าจากไฟล์ targets.xlsx")
    indicator.save()
    update = ProjectUpdateFactory(project=ProjectFactory(owner=world["agency_a"]), quarter=2)
    update.progress = Decimal("40")
    record_change(update, user, "บันทึกความคืบหน้า")
    update.save()
    user.groups.add(Group.objects.get_or_create(name="reporter")[0])
    client.post("/accounts/login/", {"username": "somchai", "password": "wrong-password"})

    client.force_login(evaluator)
    response = client.get(LIST)
    kinds = set(kinds_on(response))
    assert {log.RESULT, log.NARRATIVE, log.EVIDENCE, log.INDICATOR, log.PROJECT, log.PROJECT_UPDATE, log.ROLE,
            log.SIGN_IN, log.SIGN_IN_FAILED} <= kinds
    html = response.content.decode()
    for label in ("ผลรายไตรมาส", "รายงานผล", "หลักฐาน", "ตัวชี้วัด", "ความคืบหน้าโครงการ", "สิทธิ์ผู้ใช้",
                  "เข้าสู่ระบบไม่สำเร็จ", "นำเข้าจากไฟล์ targets.xlsx", "ภาพถ่าย.jpg"):
        assert label in html
    # The indicator's row links to its page: evaluators may open it.
    entry = next(e for e in response.context["entries"] if e.kind == log.INDICATOR and e.change == "~")
    assert entry.url == f"/indicators/2567/{indicator.code}/"
    assert entry.reason == "นำเข้าจากไฟล์ targets.xlsx"


def test_a_field_diff_shows_old_and_new(client, evaluator, world):
    client.force_login(evaluator)
    entries = client.get(LIST, {"kind": log.RESULT}).context["entries"]
    entry = next(e for e in entries if e.subject.startswith("A-1") and e.change == "~")
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("ผลงาน", "10", "12")]
    assert entry.who == "somchai"
    assert entry.agency == "สยป."
    assert (entry.year, entry.quarter) == (2567, 1)
    assert "<del>10</del> → <ins>12</ins>" in client.get(LIST, {"kind": log.RESULT}).content.decode()


def test_a_status_change_reads_its_labels(client, evaluator, world):
    result = world["result_a"]
    result.status = QuarterResult.Status.AWAITING_APPROVAL
    record_change(result, world["reporter_a"], "ส่งผล")
    result.save()
    client.force_login(evaluator)
    entry = client.get(LIST, {"kind": log.RESULT}).context["entries"][0]
    assert [(c.old, c.new) for c in entry.changes] == [("ยังไม่เริ่ม", "รอหน่วยงานอนุมัติ")]


def test_role_changes_are_recorded_with_who_made_them(client, make_user):
    admin = make_user("administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    user = UserFactory(username="newcomer")
    evaluators = Group.objects.get_or_create(name="evaluator")[0]
    user.groups.add(evaluators)
    evaluators.user_set.remove(user)
    assert list(RoleChange.objects.filter(username="newcomer").values_list("role", "action")) == [
        ("evaluator", "removed"), ("evaluator", "added")]
    # Through the admin: the signed-in administrator is the actor.
    client.force_login(admin)
    response = client.post(f"/admin/auth/user/{user.pk}/change/", {
        "username": "newcomer", "groups": [evaluators.pk], "is_active": "on",
        "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2024-01-01", "initial-date_joined_1": "00:00:00",
    })
    assert response.status_code == 302 and "login" not in response["Location"]
    latest = RoleChange.objects.filter(username="newcomer").first()
    assert (latest.action, latest.actor) == ("added", admin)
    entry = next(e for e in client.get(LIST, {"kind": log.ROLE}).context["entries"] if e.subject == "newcomer")
    assert entry.url == f"/admin/auth/user/{user.pk}/change/"  # administrators may open the account


def test_failed_sign_ins_and_the_lockout(client, evaluator, world):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "somchai", "password": "wrong-password"})
    client.force_login(evaluator)
    failed = client.get(LIST, {"kind": log.SIGN_IN_FAILED}).context["entries"]
    locked = client.get(LIST, {"kind": log.LOCKED_OUT}).context["entries"]
    assert len(failed) == 4 and len(locked) == 1
    assert locked[0].subject == "somchai" and locked[0].kind_label == "ถูกล็อก"
    # Filtered by person, the axes rows (by username) are theirs.
    mine = client.get(LIST, {"person": world["reporter_a"].pk}).context["entries"]
    assert {e.kind for e in mine} == {log.RESULT, log.SIGN_IN_FAILED, log.LOCKED_OUT}


# --- filters -----------------------------------------------------------------

def subjects(client, **query):
    return {e.subject for e in client.get(LIST, query).context["entries"] if e.kind == log.RESULT}


def test_filters_by_person_agency_year_quarter_and_kind(client, evaluator, world):
    client.force_login(evaluator)
    assert subjects(client) == {"A-1 ไตรมาส 1", "B-1 ไตรมาส 3"}
    assert subjects(client, person=world["reporter_b"].pk) == {"B-1 ไตรมาส 3"}
    assert subjects(client, agency=world["agency_a"].pk) == {"A-1 ไตรมาส 1"}
    assert subjects(client, year=2568) == {"B-1 ไตรมาส 3"}
    assert subjects(client, quarter=1) == {"A-1 ไตรมาส 1"}
    assert set(kinds_on(client.get(LIST, {"kind": log.ROLE}))) == {log.ROLE}
    assert log.RESULT not in kinds_on(client.get(LIST, {"kind": log.NARRATIVE}))


def test_filters_by_thai_dates(client, evaluator, world):
    when = timezone.make_aware(datetime.datetime(2024, 3, 15, 10, 0))
    QuarterResult.history.filter(id=world["result_a"].pk).update(history_date=when)
    client.force_login(evaluator)
    # 15/3/2567 is 15 March 2024 in the Buddhist Era.
    assert subjects(client, date_from="15/3/2567", date_to="15/3/2567") == {"A-1 ไตรมาส 1"}
    assert subjects(client, date_from="16/3/2567") == {"B-1 ไตรมาส 3"}
    assert subjects(client, date_to="14/3/2567") == set()
    response = client.get(LIST, {"date_from": "16/3/2567", "date_to": "1/3/2567"})
    assert "วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น" in response.content.decode()


# --- a fixed number of queries -----------------------------------------------

def _history_rows(count, user):
    """`count` result history rows, then one change of each other kind, the
    newest, so that the first page holds the same kinds at any size."""
    indicator = IndicatorFactory()
    result = QuarterResultFactory(indicator=indicator, quarter=2)
    for n in range(count - 1):
        change_result(result, user, str(n))
    narrative = NarrativeFactory(indicator=indicator, quarter=2)
    record_change(narrative, user, "รายงาน")
    narrative.save()
    ProjectUpdateFactory(project=ProjectFactory(owner=indicator.owner)).save()
    indicator.name = "ชื่อใหม่"
    record_change(indicator, user, "แก้ชื่อ")
    indicator.save()
    user.groups.add(Group.objects.get_or_create(name="manager")[0])


@pytest.mark.parametrize("size", [10, 300])
def test_fixed_queries_at_two_sizes(client, evaluator, django_assert_num_queries, size):
    _history_rows(size, UserFactory())
    client.force_login(evaluator)
    client.get(LIST)  # the session's first read
    assert QuarterResult.history.count() >= size
    # Session and user (2), the form's people, agencies and years (3), the
    # count and the page's slice of the union (2), each source on the page's
    # records and those before them (result, narrative, indicator, project
    # update: 2 each; project: 1), role changes, sign-ins, people, agencies
    # (4), the review badge's count (1), the form's people and agencies (2),
    # and a savepoint of the request's (2).
    with django_assert_num_queries(24):
        response = client.get(LIST, {"page": 1})
    assert response.status_code == 200
    assert len(response.context["entries"]) == min(log.PAGE_SIZE, response.context["page"].paginator.count)


# --- the export ----------------------------------------------------------------

def _sheet_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_export_is_the_filtered_log_as_xlsx(client, evaluator, world):
    result = world["result_a"]
    change_result(result, world["reporter_a"], "15", reason="=HYPERLINK(\"http://x\")")
    client.force_login(evaluator)
    response = client.get(EXPORT, {"agency": world["agency_a"].pk, "kind": log.RESULT})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response.content)
    assert rows[0][:3] == ["วันเวลา", "ผู้แก้ไข", "หน่วยงาน"]
    body = rows[1:]
    assert [row[6] for row in body] == ["A-1 ไตรมาส 1"] * 3  # the changes, the second and the creation
    newest = body[0]
    assert newest[1:6] == ["somchai", "สยป.", "2567", "1", "ผลรายไตรมาส"]
    assert "ผลงาน: 12 → 15" in newest[7]
    # A reason that looks like a formula stays text.
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=9).data_type == "s"
    assert newest[8] == "=HYPERLINK(\"http://x\")"


def test_export_over_the_threshold_is_a_background_job(client, evaluator, world, settings):
    settings.EXPORT_JOB_ROWS = 1
    client.force_login(evaluator)
    ask = client.get(EXPORT, {"kind": log.RESULT})
    assert ask.status_code == 200 and "เริ่มจัดทำไฟล์" in ask.content.decode()
    assert not Job.objects.exists()  # a GET only asks
    response = client.post(f"{EXPORT}?kind={log.RESULT}")
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/jobs/{job.pk}/")
    # The tests' task backend runs it at once.
    job.refresh_from_db()
    assert (job.kind, job.status, job.params["kind"]) == ("audit_xlsx", Job.Status.DONE, log.RESULT)
    download = client.get(f"/jobs/{job.pk}/download/")
    rows = _sheet_rows(b"".join(download.streaming_content))
    assert len(rows) == 1 + 4 and {row[5] for row in rows[1:]} == {"ผลรายไตรมาส"}


def test_the_job_checks_its_owner_again_when_it_runs(client, evaluator, world, settings):
    from audit import tasks
    from jobs import services

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    job = services.start(user=evaluator, kind=tasks.AUDIT_XLSX, params={}, title="x", download_name="a.xlsx")
    evaluator.groups.clear()
    tasks.make_audit_xlsx.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "ไม่มีสิทธิ์" in job.error


def test_approvers_stand_ins_activities_and_project_files_are_listed(client, evaluator, world):
    import datetime as dt

    from indicators.models import ApproverStandIn
    from projects.models import MilestoneProgress, ProjectEvidence
    from tests.factories import MilestoneFactory

    approver, stand_in = world["reporter_a"], world["reporter_b"]
    AgencyApprover.objects.create(agency=world["agency_a"], user=approver)
    ApproverStandIn.objects.create(approver=approver, stand_in=stand_in, starts_on=dt.date(2024, 1, 1),
                                   ends_on=dt.date(2024, 1, 31))
    project = ProjectFactory(owner=world["agency_a"], code="2100-0012")
    milestone = MilestoneFactory(project=project, name="จัดประชุม")
    update = ProjectUpdateFactory(project=project, quarter=2)
    MilestoneProgress.objects.create(update=update, milestone=milestone, percent=Decimal("50"))
    ProjectEvidence.objects.create(project=project, quarter=2, file="project-evidence/1/x", original_name="รูป.jpg",
                                   content_type="image/jpeg", size=1, uploaded_by=approver)
    client.force_login(evaluator)
    entries = client.get(LIST).context["entries"]
    subjects = {(e.kind, e.subject) for e in entries}
    assert (log.APPROVER, "somchai · สยป.") in subjects
    assert (log.APPROVER, "somsri แทน somchai 1 ม.ค. 2567 – 31 ม.ค. 2567") in subjects
    assert (log.MILESTONE, "2100-0012 จัดประชุม") in subjects
    assert (log.PROJECT_UPDATE, "2100-0012 ไตรมาส 2 จัดประชุม") in subjects
    assert (log.EVIDENCE, "2100-0012 ไตรมาส 2 “รูป.jpg”") in subjects
    project_rows = [e for e in entries if e.subject.startswith("2100-0012")]
    assert all(e.url.endswith("/projects/%s/2100-0012/" % project.fiscal_year.year) for e in project_rows)
    assert {e.agency for e in project_rows} == {"สยป."}
