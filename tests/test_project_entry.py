"""The quarterly project update (issue 23 item 3): draft and submit, the
activities' percents making the progress, the delay's reason, the soft
warnings confirmed once, the version check, windows and locks, history with
reasons, evidence checks and downloads, and who may do what."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from indicators.models import Quarter
from projects import progress, signals
from projects.models import MilestoneProgress, Project, ProjectEvidence, ProjectUpdate

from .entry_support import pdf_file, png_file
from .factories import AgencyFactory, FiscalYearFactory, MilestoneFactory, ProjectFactory, ProjectUpdateFactory

pytestmark = pytest.mark.django_db


def open_window(fiscal_year, number=1, *, open_now=True):
    today = timezone.localdate()
    if open_now:
        opens, closes = today - datetime.timedelta(days=5), today + datetime.timedelta(days=5)
    else:
        opens, closes = today - datetime.timedelta(days=40), today - datetime.timedelta(days=10)
    Quarter.objects.update_or_create(fiscal_year=fiscal_year, number=number,
                                     defaults={"opens_on": opens, "closes_on": closes})


@pytest.fixture
def project(db, media_root):
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2570), owner=AgencyFactory(),
                             budget_allocated=D("100000.00"))
    open_window(project.fiscal_year, 1)
    open_window(project.fiscal_year, 2)
    return project


@pytest.fixture
def reporter(make_user, project):
    return make_user("reporter", [project.owner])


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


def url(project, quarter=1):
    return f"/projects/{project.fiscal_year.year}/{project.code}/quarters/{quarter}/update/"


def history_url(project):
    return f"/projects/{project.fiscal_year.year}/{project.code}/history/"


def version_of(project, quarter=1):
    update = ProjectUpdate.objects.filter(project=project, quarter=quarter).first()
    return update.version if update else 0


def post(client, project, quarter=1, *, action="draft", version=None, **fields):
    data = {"version": version_of(project, quarter) if version is None else version, "action": action,
            "narrative": "", "problems": "", "delay_reason": "", **fields}
    return client.post(url(project, quarter), data)


def test_draft_saves_everything_typed_and_stays_draft(reporter_client, project):
    response = post(reporter_client, project, progress="๒๐", disbursed="1,500.50", planned_disbursement="2000",
                    narrative="จัดประชุมแล้ว", problems="ฝนตก", actual_start="2026-10-05")
    assert response.status_code == 302
    update = ProjectUpdate.objects.get(project=project, quarter=1)
    assert (update.status, update.progress, update.disbursed, update.planned_disbursement) == (
        ProjectUpdate.Status.DRAFT, D("20"), D("1500.50"), D("2000"))
    assert (update.narrative, update.problems, update.version) == ("จัดประชุมแล้ว", "ฝนตก", 1)
    project.refresh_from_db()
    assert project.actual_start == datetime.date(2026, 10, 5)


def test_submit_sets_status_who_and_when_and_sends_the_signal(reporter_client, reporter, project):
    received = []

    def handler(sender, update, user, **kwargs):
        received.append((update.pk, user.pk))

    signals.update_submitted.connect(handler)
    try:
        response = post(reporter_client, project, action="submit", progress="0")
    finally:
        signals.update_submitted.disconnect(handler)
    assert response.status_code == 302
    update = ProjectUpdate.objects.get(project=project, quarter=1)
    assert update.status == ProjectUpdate.Status.SUBMITTED
    assert update.submitted_by == reporter and update.submitted_at is not None
    assert received == [(update.pk, reporter.pk)]


def test_submit_needs_a_progress(reporter_client, project):
    response = post(reporter_client, project, action="submit", progress="")
    assert response.status_code == 400
    assert "กรุณากรอกความคืบหน้าก่อนส่งรายงาน" in response.content.decode()
    assert not ProjectUpdate.objects.filter(project=project).exists()


def test_milestone_percents_make_the_weighted_progress(reporter_client, project):
    first = MilestoneFactory(project=project, weight=D("30"))
    second = MilestoneFactory(project=project, weight=D("70"))
    response = post(reporter_client, project, **{f"milestone_{first.pk}": "100", f"milestone_{second.pk}": "50",
                                                 "progress": "99"})
    assert response.status_code == 302
    update = ProjectUpdate.objects.get(project=project, quarter=1)
    assert update.progress == progress.weighted_progress([(D(30), D(100)), (D(70), D(50))]) == D("65.00")
    assert dict(MilestoneProgress.objects.filter(update=update).values_list("milestone_id", "percent")) == {
        first.pk: D(100), second.pk: D(50)}


def test_behind_the_plan_needs_a_delay_reason_on_submit(reporter_client, project):
    # The plan expects the whole project done by the end of quarter 1.
    Project.objects.filter(pk=project.pk).update(planned_start=datetime.date(2026, 10, 1),
                                                 planned_finish=datetime.date(2026, 11, 1))
    response = post(reporter_client, project, action="submit", progress="40", narrative="ทำได้บางส่วน")
    assert response.status_code == 400
    body = response.content.decode()
    assert "กรุณาระบุเหตุผลที่ล่าช้ากว่าแผน" in body
    assert "ทำได้บางส่วน" in body  # nothing typed lost
    assert not ProjectUpdate.objects.filter(project=project).exists()
    response = post(reporter_client, project, action="submit", progress="40", delay_reason="รองบประมาณ")
    assert response.status_code == 302
    assert ProjectUpdate.objects.get(project=project).delay_reason == "รองบประมาณ"


def test_warnings_must_be_confirmed_once_and_are_stored(reporter_client, project):
    ProjectUpdateFactory(project=project, quarter=1, progress=D("60"), status=ProjectUpdate.Status.ACCEPTED)
    fields = {"progress": "50", "disbursed": "150000", "narrative": "เบิกเกิน"}
    response = post(reporter_client, project, 2, **fields)
    assert response.status_code == 400
    body = response.content.decode()
    assert str(progress.WARNING_TEXT[progress.PROGRESS_DOWN]) in body
    assert str(progress.WARNING_TEXT[progress.OVER_BUDGET]) in body
    assert "เบิกเกิน" in body
    assert not ProjectUpdate.objects.filter(project=project, quarter=2).exists()
    response = post(reporter_client, project, 2, confirm_warnings="on", **fields)
    assert response.status_code == 302
    update = ProjectUpdate.objects.get(project=project, quarter=2)
    assert update.warnings == [progress.PROGRESS_DOWN, progress.OVER_BUDGET]
    assert update.warnings_confirmed is True
    # The saved, confirmed update opens with the box ticked: one confirmation is enough.
    page = reporter_client.get(url(project, 2)).content.decode()
    box = page[page.index('name="confirm_warnings"') - 200:page.index('name="confirm_warnings"') + 200]
    assert "checked" in box


def test_done_without_finish_date_warns_and_the_finish_date_on_the_form_clears_it(reporter_client, project):
    assert post(reporter_client, project, progress="100").status_code == 400
    assert post(reporter_client, project, progress="100", actual_finish="2026-11-30").status_code == 302
    update = ProjectUpdate.objects.get(project=project)
    assert update.warnings == [] and update.warnings_confirmed is False
    project.refresh_from_db()
    assert project.actual_finish == datetime.date(2026, 11, 30)


def test_stale_version_shows_the_conflict_and_saves_nothing(reporter_client, project, make_user):
    other = make_user("reporter", [project.owner])
    ProjectUpdateFactory(project=project, quarter=1, progress=D("30"), narrative="ของคนอื่น", version=3,
                         status=ProjectUpdate.Status.DRAFT, updated_by=other)
    response = post(reporter_client, project, version=2, progress="45", narrative="ของฉัน")
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="conflict"' in body and "ของคนอื่น" in body and "ของฉัน" in body
    update = ProjectUpdate.objects.get(project=project)
    assert (update.version, update.progress, update.narrative) == (3, D("30"), "ของคนอื่น")
    assert 'name="version" value="3"' in body  # saving again is a knowing choice


def test_closed_window_refuses_and_shows_the_reason(reporter_client, project):
    open_window(project.fiscal_year, 1, open_now=False)
    page = reporter_client.get(url(project))
    assert page.status_code == 200
    assert 'id="refusal"' in page.content.decode() and 'id="update-form"' not in page.content.decode()
    response = post(reporter_client, project, progress="10")
    assert response.status_code == 403
    assert not ProjectUpdate.objects.filter(project=project).exists()


def test_accepted_update_is_locked(reporter_client, project):
    ProjectUpdateFactory(project=project, quarter=1, progress=D("30"), status=ProjectUpdate.Status.ACCEPTED,
                         version=1)
    page = reporter_client.get(url(project)).content.decode()
    assert "ถูกล็อก" in page
    response = post(reporter_client, project, progress="90")
    assert response.status_code == 403
    assert ProjectUpdate.objects.get(project=project).progress == D("30")


def test_history_rows_keep_who_and_why(reporter_client, reporter, project):
    post(reporter_client, project, progress="10", actual_start="2026-10-02")
    post(reporter_client, project, progress="20", files=png_file())
    post(reporter_client, project, action="submit", progress="20")
    reasons = list(ProjectUpdate.history.filter(project_id=project.pk).order_by("history_date")
                   .values_list("history_change_reason", "history_user_id"))
    assert reasons == [("บันทึกฉบับร่าง", reporter.pk), ("บันทึกฉบับร่าง", reporter.pk),
                       ("ส่งรายงานความคืบหน้าโครงการ", reporter.pk)]
    assert Project.history.filter(id=project.pk, history_change_reason="บันทึกฉบับร่าง").exists()
    page = reporter_client.get(history_url(project)).content.decode()
    assert "ส่งรายงานความคืบหน้าโครงการ" in page and "แนบไฟล์หลักฐาน" in page and "ภาพกิจกรรม.png" in page


def test_evidence_types_are_checked_and_removal_keeps_the_row(reporter_client, project):
    fake = SimpleUploadedFile("รูป.png", b"MZ this is not a picture", content_type="image/png")
    response = post(reporter_client, project, progress="10", narrative="แนบรูป", files=fake)
    assert response.status_code == 400
    assert "รูป.png" in response.content.decode() and "แนบรูป" in response.content.decode()
    assert not ProjectEvidence.objects.exists()
    assert post(reporter_client, project, progress="10", files=[png_file(), pdf_file()]).status_code == 302
    assert ProjectEvidence.objects.filter(project=project, quarter=1).count() == 2
    again = post(reporter_client, project, progress="10", files=png_file(name="อีกรูป.png"))
    assert again.status_code == 400 and "ภาพกิจกรรม.png" in again.content.decode()  # the same content twice
    picture = ProjectEvidence.objects.get(original_name="ภาพกิจกรรม.png")
    assert post(reporter_client, project, progress="10", remove_evidence=[picture.pk]).status_code == 302
    picture.refresh_from_db()
    assert picture.removed_at is not None and ProjectEvidence.objects.count() == 2
    assert reporter_client.get(f"/projects/evidence/{picture.pk}/").status_code == 404


def test_evidence_download_gives_the_file(reporter_client, project):
    post(reporter_client, project, progress="10", files=pdf_file())
    evidence = ProjectEvidence.objects.get()
    response = reporter_client.get(f"/projects/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def evidence(project, reporter):
    item = ProjectEvidence(project=project, quarter=1, original_name="หลักฐาน.pdf", content_type="application/pdf",
                           size=10, uploaded_by=reporter)
    item.file.save("x", pdf_file(), save=False)
    item.save()
    return item


ROLES = ["anonymous", "reporter_own", "reporter_other", "evaluator", "manager", "administrator"]
# role -> (update GET, update POST, history, evidence)
EXPECTED = {
    "anonymous": ("login", "login", "login", "login"),
    "reporter_own": (200, 302, 200, 200),
    "reporter_other": (403, 403, 403, 403),
    "evaluator": (403, 403, 200, 200),
    "manager": (403, 403, 200, 200),
    "administrator": (200, 302, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, make_user, project, evidence, role):
    if role == "reporter_own":
        client.force_login(make_user("reporter", [project.owner]))
    elif role == "reporter_other":
        client.force_login(make_user("reporter", [AgencyFactory()]))
    elif role != "anonymous":
        client.force_login(make_user(role))
    responses = (
        client.get(url(project)),
        post(client, project, progress="10"),
        client.get(history_url(project)),
        client.get(f"/projects/evidence/{evidence.pk}/"),
    )
    for response, expected in zip(responses, EXPECTED[role], strict=True):
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == expected, (role, response.request["PATH_INFO"])
    saved = ProjectUpdate.objects.filter(project=project, progress=D("10")).exists()
    assert saved == (EXPECTED[role][1] == 302)


def test_unknown_project_or_quarter_is_404(reporter_client, project):
    assert reporter_client.get(f"/projects/{project.fiscal_year.year}/9999-9999/quarters/1/update/").status_code == 404
    assert reporter_client.get(url(project, 5)).status_code == 404


@pytest.mark.parametrize("milestones", [2, 12])
def test_update_page_queries_do_not_grow_with_activities(reporter_client, project, django_assert_num_queries,
                                                         milestones):
    update = ProjectUpdateFactory(project=project, quarter=1, status=ProjectUpdate.Status.DRAFT)
    weight = D(100) / milestones
    for _n in range(milestones):
        milestone = MilestoneFactory(project=project, weight=weight)
        MilestoneProgress.objects.create(update=update, milestone=milestone, percent=D(10))
    reporter_client.get(url(project))  # sessions and caches warmed
    with django_assert_num_queries(QUERIES):
        response = reporter_client.get(url(project))
    assert response.status_code == 200
    assert response.content.decode().count('name="milestone_') == milestones


# Session, user, roles and agencies, the project, its updates, the activities and
# their percents, the window, evidence, and what base.html asks: the same for
# 2 activities as for 12.
QUERIES = 13


def test_the_service_refuses_unconfirmed_warnings_from_any_caller(reporter, project):
    from django.core.exceptions import ValidationError

    from projects import services

    changes = services.UpdateChanges(progress=D("100"))  # 100 % without an actual finish
    with pytest.raises(ValidationError):
        services.save_project_update(user=reporter, project=project, quarter=1, expected_version=0, changes=changes)
    assert not ProjectUpdate.objects.filter(project=project).exists()
    changes.warnings_confirmed = True
    update = services.save_project_update(user=reporter, project=project, quarter=1, expected_version=0,
                                          changes=changes)
    assert update.warnings == [progress.DONE_WITHOUT_FINISH] and update.warnings_confirmed


def test_warnings_show_even_while_another_field_is_refused(reporter_client, project):
    response = post(reporter_client, project, progress="100", planned_disbursement="abc")
    body = response.content.decode()
    assert response.status_code == 400
    assert str(progress.WARNING_TEXT[progress.DONE_WITHOUT_FINISH]) in body


@pytest.mark.parametrize("saves", [1, 4])
def test_history_page_queries_do_not_grow_with_changes(reporter_client, project, django_assert_num_queries, saves):
    first = MilestoneFactory(project=project, weight=D(50))
    second = MilestoneFactory(project=project, weight=D(50))
    for n in range(saves):
        post(reporter_client, project, **{f"milestone_{first.pk}": str(10 + n), f"milestone_{second.pk}": "5"})
    reporter_client.get(history_url(project))
    with django_assert_num_queries(HISTORY_QUERIES):
        response = reporter_client.get(history_url(project))
    assert response.content.decode().count("ความคืบหน้ากิจกรรม “") == saves + 1


HISTORY_QUERIES = 13
