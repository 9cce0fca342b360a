"""In a real browser: an evaluator returns a quarter from its review page,
the comment starts a thread, the agency's reporter answers it from the report
form mentioning the evaluator, and the evaluator sees the answer beside the
figures and marks it resolved; the pages pass axe."""

from decimal import Decimal

import pytest
from django.utils import timezone

from conversations.models import Thread
from indicators.models import QuarterResult
from notifications.models import Kind, Notification
from tests.factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory, UserFactory

from .a11y import assert_accessible

SHOTS = "/tmp/s-threads-shots"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_returned_quarter_is_talked_over_and_resolved(page, login):
    agency = AgencyFactory(name="สำนักงานเขตพระนคร")
    UserFactory(username="evaluator1", role="evaluator", first_name="สมศรี", last_name="ตรวจดี")
    UserFactory(username="reporter1", role="reporter", agencies=[agency], first_name="สมชาย", last_name="รายงาน")
    indicator = IndicatorFactory(fiscal_year=FiscalYearFactory(year=2567), code="2100-1037", owner=agency)
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("40"), status=QuarterResult.Status.SUBMITTED,
                         submitted_at=timezone.now(), version=1)
    login("evaluator1", "pass-1234-word")
    page.goto("/review/2567/2100-1037/1/")
    page.fill("#id_return_comment", "ตัวเลขไม่ตรงกับรายงานการประชุม <b>โปรดตรวจสอบ</b>")
    page.click("#form-return button[type=submit]")
    thread = Thread.objects.get(indicator=indicator)

    page.context.clear_cookies()
    login("reporter1", "pass-1234-word")
    page.goto("/indicators/2567/2100-1037/quarters/1/report/")
    page.fill(f"#reply-{thread.pk}", "แก้ไขแล้วค่ะ @evaluator1 ช่วยดูอีกครั้ง")
    page.click(f"#thread-{thread.pk} .card-footer button[type=submit]")
    assert "ช่วยดูอีกครั้ง" in page.locator(f"#thread-{thread.pk}").inner_text()
    assert Notification.objects.filter(kind=Kind.MENTIONED, recipient__username="evaluator1").exists()
    page.locator("#conversation").scroll_into_view_if_needed()
    page.screenshot(path=f"{SHOTS}/report-form.png", full_page=True)

    page.context.clear_cookies()
    login("evaluator1", "pass-1234-word")
    page.goto("/review/2567/2100-1037/1/")
    assert "&lt;b&gt;" not in page.locator("#conversation").inner_text()
    assert "<b>โปรดตรวจสอบ</b>" in page.locator("#conversation").inner_text()
    assert_accessible(page, "review")
    page.screenshot(path=f"{SHOTS}/review.png", full_page=True)
    page.click(f"#thread-{thread.pk} .card-header button[type=submit]")
    assert page.locator("#conversation-empty").is_visible()
    thread.refresh_from_db()
    assert thread.resolved_at is not None
