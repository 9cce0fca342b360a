"""In a real browser: an evaluator signs in, returns a quarter, accepts the
corrected one, scores the seed's quarter 4 and sees it on the sheet; the
agency's reporter sees the returned quarter's comment."""

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest

from indicators.models import QuarterResult
from tests.factories import IndicatorFactory, QuarterResultFactory
from tests.pytest_fixtures import SEED_URL

Status = QuarterResult.Status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_evaluator_returns_accepts_and_scores_quarter_four(seed, page, login, browser, live_server):
    other = IndicatorFactory(fiscal_year=seed.fiscal_year, owner=seed.owner, code="2100-2001",
                             annual_target=Decimal("80"), name="ร้อยละของรายงานที่ส่งตรงเวลา")
    q2 = QuarterResultFactory(indicator=other, quarter=2, value=Decimal("40"), status=Status.SUBMITTED, version=1)

    login("evaluator", "demo-evaluator-2563")
    assert page.url.endswith("/review/")
    assert page.locator("#queue-count").inner_text().strip() == "พบ 2 รายการ"

    # Return quarter 2 of the other indicator with a comment.
    page.click("a[href='/review/2563/2100-2001/2/']:has-text('2100-2001')")
    page.click("#form-return button[type=submit]")  # no comment yet
    assert "กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข" in page.inner_text("#form-return")
    page.fill("#id_return_comment", "ผลงาน 40 ไม่ตรงกับหลักฐานที่แนบ กรุณาตรวจสอบ")
    page.click("#form-return button[type=submit]")
    assert urlparse(page.url).path == "/review/"
    assert "ส่งไตรมาสที่ 2 ของตัวชี้วัด 2100-2001 กลับให้หน่วยงานแก้ไขแล้ว" in page.inner_text("main")

    # The agency's reporter sees it and the comment.
    reporter_context = browser.new_context(base_url=live_server.url, locale="th-TH")
    reporter = reporter_context.new_page()
    reporter.goto("/accounts/login/")
    reporter.fill("#id_username", "reporter")
    reporter.fill("#id_password", "demo-reporter-2563")
    reporter.click("button[type=submit]")
    reporter.wait_for_load_state()
    assert "ผลงาน 40 ไม่ตรงกับหลักฐานที่แนบ กรุณาตรวจสอบ" in reporter.inner_text("#notice-returned")
    reporter_context.close()

    # The agency corrects and submits again (the data-entry form's job).
    q2.refresh_from_db()
    q2.value, q2.status, q2.version = Decimal("60"), Status.SUBMITTED, q2.version + 1
    q2.save()

    page.goto("/review/")
    page.click("a[href='/review/2563/2100-2001/2/']:has-text('2100-2001')")
    assert page.inner_text("#review-value").strip() == "60"
    assert page.inner_text("#review-score-self").strip() == "75.00"
    page.click("#form-accept button[type=submit]")
    assert "ตรวจรับไตรมาสที่ 2 ของตัวชี้วัด 2100-2001 แล้ว" in page.inner_text("main")
    q2.refresh_from_db()
    assert (q2.status, q2.score_confirmed) == (Status.ACCEPTED, Decimal("75"))

    # Score the seed's quarter 4: a different score needs a reason.
    page.click("a[href='/review/2563/2100-1037/4/']:has-text('2100-1037')")
    assert page.input_value("#id_score_score") in ("100", "100.00")
    page.fill("#id_score_score", "90")
    page.click("#form-score button[type=submit]")
    assert "คะแนน 2.2 (90.00) ต่างจากคะแนน 2.1 (100.00) กรุณาระบุเหตุผล" in page.inner_text("#form-score")
    assert page.input_value("#id_score_score") == "90"
    page.fill("#id_score_reason", "กลุ่มกรุงเทพตะวันออกยังรายงานเพียงกำหนดการ")
    page.click("#form-score button[type=submit]")
    assert "บันทึกคะแนนไตรมาสที่ 4 ของตัวชี้วัด 2100-1037 แล้ว" in page.inner_text("main")
    assert page.locator("#queue-empty").is_visible()

    page.goto(SEED_URL)
    assert re.sub(r"\s+", " ", page.inner_text("#final-score")).strip() == \
        "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 90.00"
    last_row = page.locator("table.quarter-table tbody tr").nth(3)
    cells = [c.strip() for c in last_row.locator("th, td").all_inner_texts()]
    assert cells == ["4", "6", "70", "100.00", "100.00 / 90.00"]
    assert page.inner_text("#year-status").strip() == "บรรลุเป้าหมาย"
