"""The agency sign-off flow (issue 24): with the year's switch on, a submit
waits for the agency's approver, who approves it (on to สยป.'s queue) or
returns it with a comment; only the agency's approvers (or a stand-in within
the dates) may; every step has its history row and its notices."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators import workflow
from indicators.models import AgencyApprover, ApproverStandIn, QuarterResult
from notifications.models import Kind, Notification
from projects import services as project_services
from projects.models import ProjectEvidence, ProjectUpdate
from reports import services as report_services
from reports.models import Evidence
from signoff import services

from .entry_support import open_indicator, png_file
from .factories import AgencyFactory, ProjectFactory
from .test_project_entry import open_window

pytestmark = pytest.mark.usefixtures("media_root")
TODAY = timezone.localdate()


def submit(user, indicator, value="42"):
    result = QuarterResult.objects.filter(indicator=indicator, quarter=1).first()
    return report_services.save_quarter_report(
        user=user, indicator=indicator, quarter_number=1, expected_version=result.version if result else 0,
        changes=report_services.ReportChanges(value=Decimal(value), narratives={None: "ผลไตรมาสแรก"}, submit=True))


@pytest.fixture
def world(db, make_user):
    indicator = open_indicator()
    indicator.fiscal_year.agency_signoff = True
    indicator.fiscal_year.save()
    agency = indicator.owner
    people = {
        "reporter": make_user("reporter", [agency]),
        "approver": make_user(),
        "evaluator": make_user("evaluator"),
        "other_approver": make_user(),
    }
    AgencyApprover.objects.create(agency=agency, user=people["approver"])
    AgencyApprover.objects.create(agency=AgencyFactory(), user=people["other_approver"])
    for name in ("approver", "other_approver"):
        people[name] = type(people[name]).objects.get(pk=people[name].pk)
    return indicator, people


def kinds_of(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_with_the_switch_on_a_submit_waits_for_the_approver(world):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL
    assert result.submitted_by == people["reporter"] and result.submitted_at is not None
    # The approver is told (a daily digest by default), the evaluators not yet.
    assert kinds_of(people["approver"]) == [Kind.AWAITING_APPROVAL]
    assert kinds_of(people["evaluator"]) == [] and kinds_of(people["other_approver"]) == []


def test_with_the_switch_off_a_submit_goes_to_the_evaluators(world):
    indicator, people = world
    indicator.fiscal_year.agency_signoff = False
    indicator.fiscal_year.save()
    indicator.refresh_from_db()
    result = submit(people["reporter"], indicator)
    assert result.status == QuarterResult.Status.SUBMITTED
    assert kinds_of(people["evaluator"]) == [Kind.SUBMITTED] and kinds_of(people["approver"]) == []


def test_approve_sends_it_on_to_the_evaluators_with_history(world):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    approved = services.approve_result(result=result, user=people["approver"], expected_version=result.version)
    assert approved.status == QuarterResult.Status.SUBMITTED and approved.version == result.version + 1
    last = approved.history.first()
    assert last.history_user == people["approver"] and "อนุมัติโดยผู้อนุมัติของหน่วยงาน" in last.history_change_reason
    assert kinds_of(people["evaluator"]) == [Kind.SUBMITTED]


def test_return_needs_a_comment_and_tells_the_reporters(world):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    with pytest.raises(Exception) as error:
        services.return_result(result=result, user=people["approver"], expected_version=result.version,
                               comment="  ")
    assert "กรุณาระบุสิ่งที่ต้องการให้ผู้รายงานแก้ไข" in str(error.value)
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL
    returned = services.return_result(result=result, user=people["approver"], expected_version=result.version,
                                      comment="แนบภาพถ่ายกิจกรรมด้วย")
    assert returned.status == QuarterResult.Status.RETURNED
    assert returned.reviewer_comment == "ผู้อนุมัติของหน่วยงาน: แนบภาพถ่ายกิจกรรมด้วย"
    assert returned.reopened_until >= TODAY
    assert "แนบภาพถ่ายกิจกรรมด้วย" in returned.history.first().history_change_reason
    notice = Notification.objects.get(recipient=people["reporter"])
    assert notice.kind == Kind.RETURNED and "แนบภาพถ่ายกิจกรรมด้วย" in notice.text
    # Corrected and resubmitted: waits for the approver again.
    again = submit(people["reporter"], indicator, value="43")
    assert again.status == QuarterResult.Status.AWAITING_APPROVAL


def test_a_quarter_the_evaluator_returned_needs_approval_again(world):
    from evaluation import services as review

    indicator, people = world
    result = submit(people["reporter"], indicator)
    result = services.approve_result(result=result, user=people["approver"], expected_version=result.version)
    review.return_for_correction(result=result, user=people["evaluator"], expected_version=result.version,
                                 comment="ตัวเลขไม่ตรงกับหลักฐาน")
    assert submit(people["reporter"], indicator).status == QuarterResult.Status.AWAITING_APPROVAL


def test_a_stale_version_is_refused(world):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    with pytest.raises(workflow.StaleVersion):
        services.approve_result(result=result, user=people["approver"], expected_version=result.version - 1)
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL


def test_only_the_agencys_approver_may_sign_off(world):
    from django.core.exceptions import PermissionDenied

    indicator, people = world
    result = submit(people["reporter"], indicator)
    for name in ("other_approver", "reporter", "evaluator"):
        with pytest.raises(PermissionDenied):
            services.approve_result(result=result, user=people[name], expected_version=result.version)
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL


def test_a_stand_in_signs_off_only_within_the_dates(world, make_user):
    from django.core.exceptions import PermissionDenied

    indicator, people = world
    stand_in = make_user()
    standing = ApproverStandIn.objects.create(approver=people["approver"], stand_in=stand_in,
                                              starts_on=TODAY + datetime.timedelta(days=1),
                                              ends_on=TODAY + datetime.timedelta(days=3))
    result = submit(people["reporter"], indicator)
    assert kinds_of(stand_in) == []  # not yet standing in: not told
    with pytest.raises(PermissionDenied):
        services.approve_result(result=result, user=type(stand_in).objects.get(pk=stand_in.pk),
                                expected_version=result.version)
    standing.starts_on = TODAY
    standing.save()
    services.approve_result(result=result, user=type(stand_in).objects.get(pk=stand_in.pk),
                            expected_version=result.version)


def test_the_approver_is_told_with_their_stand_ins(world, make_user):
    indicator, people = world
    stand_in = make_user()
    ApproverStandIn.objects.create(approver=people["approver"], stand_in=stand_in, starts_on=TODAY, ends_on=TODAY)
    submit(people["reporter"], indicator)
    assert kinds_of(stand_in) == [Kind.AWAITING_APPROVAL]


def test_the_new_kind_is_a_daily_digest_by_default(world):
    from notifications import services as notices

    _indicator, people = world
    assert notices.preferences_of(people["approver"])[Kind.AWAITING_APPROVAL] == "digest"


# --- project updates ---------------------------------------------------------


@pytest.fixture
def project_world(db, make_user):
    project = ProjectFactory()
    project.fiscal_year.agency_signoff = True
    project.fiscal_year.save()
    open_window(project.fiscal_year, 1)
    reporter = make_user("reporter", [project.owner])
    approver = make_user()
    AgencyApprover.objects.create(agency=project.owner, user=approver)
    return project, reporter, type(approver).objects.get(pk=approver.pk), make_user("evaluator")


def submit_update(user, project, version=0):
    changes = project_services.UpdateChanges(progress=Decimal("30"), narrative="ดำเนินการแล้ว", submit=True,
                                             delay_reason="รอผลการจัดซื้อ", warnings_confirmed=True)
    return project_services.save_project_update(user=user, project=project, quarter=1, expected_version=version,
                                                changes=changes)


def test_a_project_update_waits_then_is_returned_then_approved(project_world):
    project, reporter, approver, evaluator = project_world
    update = submit_update(reporter, project)
    assert update.status == ProjectUpdate.Status.AWAITING_APPROVAL
    assert kinds_of(approver) == [Kind.AWAITING_APPROVAL] and kinds_of(evaluator) == []
    update = services.return_update(update=update, user=approver, expected_version=update.version,
                                    comment="ระบุผลการเบิกจ่าย")
    assert update.status == ProjectUpdate.Status.RETURNED and kinds_of(reporter) == [Kind.RETURNED]
    update = submit_update(reporter, project, update.version)
    assert update.status == ProjectUpdate.Status.AWAITING_APPROVAL
    update = services.approve_update(update=update, user=approver, expected_version=update.version)
    assert update.status == ProjectUpdate.Status.SUBMITTED and kinds_of(evaluator) == [Kind.SUBMITTED]
    reasons = [h.history_change_reason for h in update.history.all()]
    assert any("ผู้อนุมัติของหน่วยงานส่งกลับแก้ไข: ระบุผลการเบิกจ่าย" in r for r in reasons if r)


def test_with_the_switch_off_a_project_update_goes_to_the_evaluators(project_world):
    project, reporter, approver, evaluator = project_world
    project.fiscal_year.agency_signoff = False
    project.fiscal_year.save()
    project.refresh_from_db()
    update = submit_update(reporter, project)
    assert update.status == ProjectUpdate.Status.SUBMITTED
    assert kinds_of(evaluator) == [Kind.SUBMITTED] and kinds_of(approver) == []


# --- pages ---------------------------------------------------------------


def result_url(indicator):
    return f"/approvals/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/"


def update_url(project):
    return f"/approvals/projects/{project.fiscal_year.year}/{project.code}/quarters/1/"


def test_the_approval_page_approves_and_returns(client, world):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    client.force_login(people["approver"])
    page = client.get(result_url(indicator)).content.decode()
    assert "ผลไตรมาสแรก" in page and "42" in page and 'id="form-approve"' in page
    # No comment: a Thai message, nothing saved.
    response = client.post(result_url(indicator), {"action": "return", "return-version": result.version,
                                                   "return-comment": ""})
    assert response.status_code == 400 and "กรุณาระบุสิ่งที่ต้องการให้ผู้รายงานแก้ไข" in response.content.decode()
    response = client.post(result_url(indicator), {"action": "approve", "approve-version": result.version})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.SUBMITTED


def test_a_stale_approval_page_shows_the_conflict_and_keeps_the_comment(client, world):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    client.force_login(people["approver"])
    response = client.post(result_url(indicator), {"action": "return", "return-version": result.version - 1,
                                                   "return-comment": "ข้อความที่พิมพ์ไว้"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "ข้อมูลไตรมาสนี้ถูกเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้" in page and "ข้อความที่พิมพ์ไว้" in page
    assert f'name="return-version" value="{result.version}"' in page  # a deliberate resubmit goes through


def test_permission_matrix(client, world, make_user):
    indicator, people = world
    result = submit(people["reporter"], indicator)
    Evidence.objects.create(indicator=indicator, quarter=1, file=png_file("ภาพ.png"), original_name="ภาพ.png",
                            content_type="image/png", size=10)
    evidence = Evidence.objects.get(indicator=indicator)
    project = ProjectFactory(owner=indicator.owner, fiscal_year=indicator.fiscal_year)
    ProjectUpdate.objects.create(project=project, quarter=1, status=ProjectUpdate.Status.AWAITING_APPROVAL)
    project_evidence = ProjectEvidence.objects.create(project=project, quarter=1, file=png_file("p.png"),
                                                      original_name="p.png", content_type="image/png", size=10)
    urls = ["/approvals/", result_url(indicator), update_url(project), "/approvals/stand-ins/",
            f"/evidence/{evidence.pk}/", f"/projects/evidence/{project_evidence.pk}/"]
    # The approver of another agency: refused everywhere (their own queue is empty of ours).
    client.force_login(people["other_approver"])
    for url in urls[1:3] + urls[4:]:
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"action": "approve", "approve-version": result.version}).status_code in (403, 404, 405)
    assert indicator.code not in client.get("/approvals/").content.decode()
    # A reporter and an evaluator cannot approve, nor open the approver's pages.
    for name in ("reporter", "evaluator"):
        client.force_login(people[name])
        for url in urls[:4]:
            assert client.get(url).status_code == 403, (name, url)
        assert client.post(result_url(indicator), {"action": "approve",
                                                   "approve-version": result.version}).status_code == 403
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL
    # Anonymous: to the sign-in page.
    client.logout()
    for url in urls[:4]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    # The agency's approver: every page and file.
    client.force_login(people["approver"])
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_queue_filters_and_its_queries_are_fixed(client, world, django_assert_num_queries):
    indicator, people = world
    client.force_login(people["approver"])

    def add(n):
        for _ in range(n):
            other = open_indicator(owner=indicator.owner, fiscal_year=indicator.fiscal_year)
            QuarterResult.objects.create(indicator=other, quarter=1, status=QuarterResult.Status.AWAITING_APPROVAL,
                                         submitted_by=people["reporter"], submitted_at=timezone.now())
            project = ProjectFactory(owner=indicator.owner, fiscal_year=indicator.fiscal_year)
            ProjectUpdate.objects.create(project=project, quarter=1, status=ProjectUpdate.Status.AWAITING_APPROVAL,
                                         submitted_by=people["reporter"], submitted_at=timezone.now())

    add(1)
    client.get("/approvals/")  # warm the session and caches
    with django_assert_num_queries(10) as small:
        page = client.get("/approvals/").content.decode()
    add(5)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get("/approvals/").content.decode()
    assert page.count("/approvals/indicators/") == 6 and page.count("/approvals/projects/") == 6
    only_projects = client.get("/approvals/", {"kind": "projects"}).content.decode()
    assert "/approvals/indicators/" not in only_projects and only_projects.count("/approvals/projects/") == 6


def test_an_approver_names_a_stand_in_with_thai_validation(client, world, make_user):
    _indicator, people = world
    stand_in = make_user()
    client.force_login(people["approver"])
    thai = lambda d: f"{d.day}/{d.month}/{d.year + 543}"  # noqa: E731
    bad = client.post("/approvals/stand-ins/", {"stand_in_username": "ไม่มีคนนี้", "starts_on": thai(TODAY),
                                                 "ends_on": thai(TODAY)})
    assert bad.status_code == 400 and "ไม่พบผู้ใช้" in bad.content.decode()
    backwards = client.post("/approvals/stand-ins/", {"stand_in_username": stand_in.username,
                                                       "starts_on": thai(TODAY + datetime.timedelta(days=3)),
                                                       "ends_on": thai(TODAY + datetime.timedelta(days=1))})
    assert backwards.status_code == 400 and "วันสิ้นสุดต้องไม่ก่อนวันเริ่ม" in backwards.content.decode()
    assert stand_in.username in backwards.content.decode()  # nothing typed lost
    myself = client.post("/approvals/stand-ins/", {"stand_in_username": people["approver"].username,
                                                    "starts_on": thai(TODAY), "ends_on": thai(TODAY)})
    assert "ต้องไม่ใช่ผู้อนุมัติเอง" in myself.content.decode()
    assert not ApproverStandIn.objects.exists()
    ok = client.post("/approvals/stand-ins/", {"stand_in_username": stand_in.username, "starts_on": thai(TODAY),
                                                "ends_on": thai(TODAY + datetime.timedelta(days=7))})
    assert ok.status_code == 302
    standing = ApproverStandIn.objects.get()
    assert standing.stand_in == stand_in and standing.history.first().history_user == people["approver"]


def test_the_approval_page_queries_are_fixed(client, world, django_assert_num_queries):
    indicator, people = world
    submit(people["reporter"], indicator)
    client.force_login(people["approver"])

    def attach(n):
        for i in range(n):
            Evidence.objects.create(indicator=indicator, quarter=1, file=png_file(f"ภาพ{i}.png"),
                                    original_name=f"ภาพ{i}.png", content_type="image/png", size=10)

    attach(1)
    client.get(result_url(indicator))
    with django_assert_num_queries(10) as small:
        client.get(result_url(indicator))
    attach(4)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(result_url(indicator)).content.decode()
    assert page.count("/evidence/") == 5


def test_the_approvers_return_starts_the_quarters_conversation(world):
    from conversations.models import Thread

    indicator, people = world
    result = submit(people["reporter"], indicator)
    services.return_result(result=result, user=people["approver"], expected_version=result.version,
                           comment="แนบหนังสือเชิญประชุมด้วย")
    thread = Thread.objects.get(indicator=indicator, quarter=result.quarter)
    assert thread.created_by == people["approver"]
    assert [m.text for m in thread.messages.all()] == ["แนบหนังสือเชิญประชุมด้วย"]
