"""In a real browser, with the year's agency sign-off on: the reporter
submits, the agency's approver returns it with a comment, the reporter
corrects and submits again, the approver approves, the evaluator accepts;
each step tells the next person (notices checked at every step)."""

import re

import pytest

from indicators.models import AgencyApprover, QuarterResult
from notifications.models import Kind, Notification
from tests.factories import UserFactory

from .entry_support import open_indicator

SHOTS = "/tmp/signoff-shots"
pytestmark = pytest.mark.usefixtures("media_root")


def kinds(username):
    return list(Notification.objects.filter(recipient__username=username).order_by("pk")
                .values_list("kind", flat=True))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reporter_approver_evaluator(page, login):
    indicator = open_indicator(name="ร้อยละของชุมชนที่คัดแยกขยะ")
    indicator.fiscal_year.agency_signoff = True
    indicator.fiscal_year.save()
    UserFactory(username="reporter1", role="reporter", agencies=[indicator.owner])
    approver = UserFactory(username="approver1")
    AgencyApprover.objects.create(agency=indicator.owner, user=approver)
    UserFactory(username="evaluator1", role="evaluator")
    report = f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/"
    approval = f"/approvals/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/"

    def sign_in(username):
        page.context.clear_cookies()
        login(username, "pass-1234-word")

    # 1. The reporter submits: it waits for the approver, who is told.
    sign_in("reporter1")
    page.goto(report)
    page.fill("#id_value", "40")
    page.fill("#id_narrative", "ชุมชนคัดแยกขยะ 40 แห่ง")
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL
    assert kinds("approver1") == [Kind.AWAITING_APPROVAL] and kinds("evaluator1") == []

    # 2. The approver finds it in the queue and returns it with a comment.
    sign_in("approver1")
    page.goto("/notifications/")
    assert indicator.code in page.inner_text("main")
    page.goto("/approvals/")
    page.click(f"#approval-results a:has-text('{indicator.code}')")
    page.wait_for_url(re.compile(re.escape(approval) + "$"))
    assert "ชุมชนคัดแยกขยะ 40 แห่ง" in page.inner_text("#approval-narrative")
    page.screenshot(path=f"{SHOTS}/approval.png", full_page=True)
    page.click("#form-return button[type=submit]")  # no comment first: a Thai message
    assert "กรุณาระบุสิ่งที่ต้องการให้ผู้รายงานแก้ไข" in page.inner_text("#form-return")
    page.fill("#id_return-comment", "โปรดแนบภาพถ่ายกิจกรรม")
    page.click("#form-return button[type=submit]")
    page.wait_for_url(re.compile(r"/approvals/$"))
    assert "ส่งกลับให้ผู้รายงานแก้ไขแล้ว" in page.inner_text("main")
    assert kinds("reporter1") == [Kind.RETURNED]

    # 3. The reporter reads why, corrects and submits again.
    sign_in("reporter1")
    page.goto("/notifications/")
    assert "โปรดแนบภาพถ่ายกิจกรรม" in page.inner_text("main")
    page.goto(report)
    page.fill("#id_value", "45")
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.AWAITING_APPROVAL
    assert kinds("approver1") == [Kind.AWAITING_APPROVAL, Kind.AWAITING_APPROVAL]

    # 4. The approver approves: on to the evaluators, who are told.
    sign_in("approver1")
    page.goto(approval)
    page.click("#form-approve button[type=submit]")
    page.wait_for_url(re.compile(r"/approvals/$"))
    assert "ไม่มีตัวชี้วัดที่รออนุมัติ" in page.inner_text("main")
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.SUBMITTED
    assert kinds("evaluator1") == [Kind.SUBMITTED]

    # 5. The evaluator accepts; the reporter is told.
    sign_in("evaluator1")
    page.goto(f"/review/{indicator.fiscal_year.year}/{indicator.code}/1/")
    page.click("#form-accept button[type=submit]")
    page.wait_for_load_state()
    result.refresh_from_db()
    assert result.status == QuarterResult.Status.ACCEPTED
    assert kinds("reporter1") == [Kind.RETURNED, Kind.ACCEPTED]
    reasons = [h.history_change_reason for h in result.history.all()]
    assert any("ผู้อนุมัติของหน่วยงานส่งกลับแก้ไข: โปรดแนบภาพถ่ายกิจกรรม" in (r or "") for r in reasons)
    assert any("อนุมัติโดยผู้อนุมัติของหน่วยงาน" in (r or "") for r in reasons)
