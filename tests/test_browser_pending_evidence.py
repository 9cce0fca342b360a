"""Issue 29 point 6 in a real Chromium: a reporter attaches a photo to a
result that needs a confirmation; the refused page keeps the photo (named,
droppable, accessible), and ticking the box saves it without choosing it
again. Then the same photo chosen again is refused by name (point 16)."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import QuarterResult
from reports.models import Evidence, PendingEvidence

from .a11y import assert_accessible
from .entry_support import DISTRICT_CODE, png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

PHOTO = {"name": "ภาพกิจกรรม.png", "mimeType": "image/png", "buffer": png_bytes()}


def test_a_photo_survives_the_confirmation_and_is_not_attached_twice(page, login, district_demo):
    login("rajthewi", "demo-rajthewi-2570")
    page.goto(f"/indicators/2570/{DISTRICT_CODE}/quarters/1/report/")
    page.fill("#id_value", "1,407")  # more than 3 × the target: asks for a confirmation
    page.set_input_files("#id_files", files=[PHOTO])
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()

    kept = page.locator("#pending-files")
    expect(kept).to_contain_text("ไฟล์ที่แนบไว้: ภาพกิจกรรม.png (จะบันทึกเมื่อกดบันทึก)")
    expect(page.get_by_label("ไม่แนบไฟล์นี้")).not_to_be_checked()
    assert page.locator("#choose-files-again").count() == 0
    assert_accessible(page, "the refused report form with a kept file")
    assert not QuarterResult.objects.filter(indicator=district_demo, quarter=1).exists()

    page.get_by_label("ยืนยันว่าถูกต้อง").check()
    # The photo is "other" evidence: the checklist's items are still missing, so that is confirmed too.
    if page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").count():
        page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").check()
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    if page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").count():
        page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").check()
        page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_url(re.compile(rf"/indicators/2570/{DISTRICT_CODE}/#messages$"))
    evidence = Evidence.objects.get(indicator=district_demo, quarter=1)
    with evidence.file.open("rb") as stored:
        assert stored.read() == png_bytes()
    assert not PendingEvidence.objects.exists()
    # FY 2570 of the demo asks for the agency's sign-off first.
    assert QuarterResult.objects.get(indicator=district_demo, quarter=1).status == "awaiting_approval"
    expect(page.locator("#evidence-1")).to_contain_text("ภาพกิจกรรม.png")
