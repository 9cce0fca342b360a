"""A reporter's whole quarter report in a real Chromium: sign in, open an
indicator of their agency, enter the result and narrative, attach a photo,
submit, and see it on the detail page. A reporter of another agency is refused."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from indicators.models import Indicator, QuarterResult
from reports.models import Evidence, Narrative

from .entry_support import png_bytes, set_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

DISTRICT_CODE = "5013-0001"  # fixtures/demo_current.json, agency สำนักงานเขตราชเทวี


@pytest.fixture
def demo():
    call_command("load_demo", quiet_logins=True)
    indicator = Indicator.objects.get(code=DISTRICT_CODE)
    set_window(indicator, 1)  # open today, whatever today is
    return indicator


def test_reporter_submits_a_quarter_report(page, login, demo):
    login("rajthewi", "demo-rajthewi-2570")
    page.goto(demo.get_absolute_url())
    page.locator("#quarter-1 a.report-link").click()
    page.wait_for_url(re.compile(r"/quarters/1/report/$"))

    # A mistake first: a decimal for a whole-number indicator; the message is
    # Thai, next to the field, and the narrative typed is still there.
    page.fill("#id_value", "๑๒.๕")
    page.fill("#id_narrative", "ชุมชนในเขตราชเทวีเริ่มคัดแยกขยะ <b>ไม่ใช่ตัวหนา</b>")
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    assert "ตัวชี้วัดนี้รับผลงานเป็นจำนวนเต็มเท่านั้น" in page.locator("#report-form").inner_text()
    assert page.input_value("#id_narrative").startswith("ชุมชนในเขตราชเทวีเริ่มคัดแยกขยะ")

    page.fill("#id_value", "๑๒")
    page.set_input_files("#id_files", files=[{"name": "ภาพกิจกรรม.png", "mimeType": "image/png",
                                              "buffer": png_bytes()}])
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    # The file is "other" evidence: the checklist's items are still missing, so it asks once.
    page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").check()
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_url(re.compile(rf"/indicators/2570/{DISTRICT_CODE}/#messages$"))

    # The message is where the eye lands (issue 29 point 7), not scrolled past.
    message = page.locator("#messages .alert-success")
    assert "ส่งผลการดำเนินงานไตรมาสที่ 1 แล้ว" in message.inner_text()
    expect(message).to_be_in_viewport(ratio=1)
    body = page.locator("main").inner_text()
    assert "ชุมชนในเขตราชเทวีเริ่มคัดแยกขยะ <b>ไม่ใช่ตัวหนา</b>" in body  # HTML shown as text
    # FY 2570 of the demo asks for the agency's sign-off first.
    assert page.locator("#quarter-1 .quarter-status").inner_text() == "รอหน่วยงานอนุมัติ"
    # Its link goes down to the quarter's report.
    message.get_by_role("link", name="ดูรายงานผลฯ ไตรมาสที่ 1").click()
    page.wait_for_url(re.compile(r"#narrative-1$"))
    expect(page.locator("#narrative-1")).to_be_in_viewport()  # scrolls smoothly: expect waits
    first_row = page.locator("table.quarter-table tbody tr").first.inner_text()
    assert "12" in first_row
    link = page.locator("#evidence-1 a", has_text="ภาพกิจกรรม.png")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "ภาพกิจกรรม.png"

    result = QuarterResult.objects.get(indicator=demo, quarter=1)
    assert (str(result.value), result.status, result.submitted_by.username) == ("12.0000", "awaiting_approval", "rajthewi")
    assert Narrative.objects.get(indicator=demo, quarter=1, district_group=None).text.endswith("</b>")
    assert Evidence.objects.get(indicator=demo).original_name == "ภาพกิจกรรม.png"


def test_reporter_of_another_agency_is_refused(page, login, demo):
    login("reporter", "demo-reporter-2563")  # สยป., not the district office
    response = page.goto(f"/indicators/2570/{DISTRICT_CODE}/quarters/1/report/")
    assert response.status == 403
    assert "ไม่มีสิทธิ์เข้าถึง" in page.locator("main").inner_text()
    response = page.goto(demo.get_absolute_url())
    assert response.status == 403
    page.goto("/my-indicators/")
    assert DISTRICT_CODE not in page.locator("main").inner_text()
    assert not QuarterResult.objects.filter(indicator=demo).exists()
