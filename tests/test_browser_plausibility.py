"""Plausibility checks in a real Chromium (issue 12): a reporter types an
implausible result, sees the Thai warning next to the field, cannot submit
until ticking "ยืนยันว่าถูกต้อง"; the evaluator then sees the flag and the
confirmation on the review page."""

import re

import pytest

from indicators.models import QuarterResult

from .entry_support import DISTRICT_CODE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]



def test_implausible_result_needs_confirmation_and_the_evaluator_sees_it(page, login, district_demo):
    login("rajthewi", "demo-rajthewi-2570")
    page.goto(f"/indicators/2570/{DISTRICT_CODE}/quarters/1/report/")
    page.fill("#id_value", "1,407")  # a typo for 14: more than 3 × the target of 25
    page.fill("#id_narrative", "รายงานผลไตรมาสที่ 1")
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()

    warning = page.locator("#plausibility-warnings")
    assert "ผลงาน (1,407) มากกว่า 3 เท่าของค่าเป้าหมาย (25)" in warning.inner_text()
    # Right under the result field, with the box to tick.
    value_box = page.locator("#id_value").bounding_box()
    warning_box = warning.bounding_box()
    assert 0 <= warning_box["y"] - (value_box["y"] + value_box["height"]) < 120
    assert page.input_value("#id_value") == "1,407"
    assert page.input_value("#id_narrative") == "รายงานผลไตรมาสที่ 1"
    assert not QuarterResult.objects.filter(indicator=district_demo, quarter=1, status="submitted").exists()

    # Submitting again without ticking the box still does not go through.
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    assert "ยืนยันว่าถูกต้อง" in page.locator("#plausibility-warnings").inner_text()
    assert not QuarterResult.objects.filter(indicator=district_demo, quarter=1, status="submitted").exists()

    page.get_by_label("ยืนยันว่าถูกต้อง").check()
    page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    # No evidence for the checklist's items: confirmed once.
    if page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").count():
        page.get_by_label("ยืนยันว่าถูกต้อง").check()
        page.get_by_label("ยืนยันส่งโดยยังไม่มีหลักฐานครบ").check()
        page.get_by_role("button", name="ส่งผลเพื่อตรวจประเมิน").click()
    page.wait_for_url(re.compile(rf"/indicators/2570/{DISTRICT_CODE}/"))
    result = QuarterResult.objects.get(indicator=district_demo, quarter=1)
    # FY 2570 of the demo asks for the agency's sign-off: the demo approver sends it on.
    assert (result.status, result.plausibility_confirmed) == ("awaiting_approval", True)
    from django.contrib.auth import get_user_model

    from signoff import services as signoff

    signoff.approve_result(result=result, user=get_user_model().objects.get(username="approver"),
                           expected_version=result.version)

    page.locator("#user-menu").click()
    page.get_by_role("button", name="ออกจากระบบ").click()
    page.wait_for_load_state()
    login("evaluator", "demo-evaluator-2563")
    page.goto(f"/review/2570/{DISTRICT_CODE}/1/")
    flags = page.locator("#review-plausibility")
    assert "ผลงาน (1,407) มากกว่า 3 เท่าของค่าเป้าหมาย (25)" in flags.inner_text()
    assert page.locator("#review-plausibility-confirmed").inner_text().endswith("ผู้รายงานยืนยันว่าผลงานถูกต้อง")
