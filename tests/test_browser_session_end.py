"""In a real Chromium: the report form warns before the session ends and
extends it on request; and when the session ended anyway, the save goes to
the sign-in page and comes back with everything typed, unsaved."""

import re
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session

from indicators.models import QuarterResult
from reports.models import Narrative
from web.sessions import KEY

from .a11y import assert_accessible
from .entry_support import open_indicator, png_bytes
from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


@pytest.fixture
def form_url(db):
    indicator = open_indicator(decimal_places=0, unit="ชุมชน", annual_target=Decimal("100"))
    reporter = UserFactory(role="reporter", agencies=[indicator.owner], username="somsri")
    reporter.set_password("pass-somsri-1")
    reporter.save()
    return f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/"


def test_the_form_warns_before_the_session_ends_and_extends_it(page, login, form_url, settings):
    settings.SESSION_COOKIE_AGE = 60
    settings.SESSION_WARNING_SECONDS = 58
    login("somsri", "pass-somsri-1")
    page.goto(form_url)
    warning = page.locator("#session-warning")
    warning.wait_for(state="visible", timeout=10_000)
    assert re.fullmatch(r"ไม่มีการใช้งานมานาน การเข้าสู่ระบบจะหมดเวลาในอีกประมาณ 1 นาที ข้อมูลที่พิมพ์ไว้ยังไม่ได้บันทึก",
                        warning.locator(".session-warning-text").inner_text())
    assert_accessible(page, "the session warning")
    stamped = Session.objects.get().get_decoded()[KEY]

    page.click("#session-extend")
    warning.wait_for(state="hidden")
    assert Session.objects.get().get_decoded()[KEY] >= stamped

    # Ended meanwhile (say, idle in another tab's view of the clock): it says so.
    warning.wait_for(state="visible", timeout=10_000)
    Session.objects.all().delete()
    page.click("#session-extend")
    page.wait_for_function("document.querySelector('#session-extend').hidden")
    assert "หมดเวลาการเข้าสู่ระบบแล้ว ข้อมูลที่พิมพ์ไว้ยังไม่หาย" in warning.inner_text()


def test_typed_work_survives_the_end_of_the_session(page, login, form_url):
    login("somsri", "pass-somsri-1")
    page.goto(form_url)
    page.fill("#id_value", "๒๕")
    page.fill("#id_narrative", "รายงานที่พิมพ์ไว้ทั้งบ่าย\nบรรทัดที่สอง")
    page.set_input_files("#id_files", files=[{"name": "ภาพกิจกรรม.png", "mimeType": "image/png",
                                              "buffer": png_bytes()}])
    Session.objects.all().delete()  # the session ends while the reporter types

    page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    page.wait_for_url(re.compile(r"/accounts/login/"))
    assert "ระบบเก็บข้อมูลที่พิมพ์ไว้ให้ชั่วคราว" in page.locator("main").inner_text()
    assert not QuarterResult.objects.exists()

    page.fill("#id_username", "somsri")
    page.fill("#id_password", "pass-somsri-1")
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(re.escape(form_url) + r"\?restore="))
    assert "ข้อมูลที่พิมพ์ไว้ยังไม่ได้บันทึก กรุณาตรวจสอบแล้วกดบันทึก" in page.inner_text("#restored")
    assert "ภาพกิจกรรม.png" in page.inner_text("#restored")
    assert page.input_value("#id_value") == "๒๕"
    assert page.input_value("#id_narrative") == "รายงานที่พิมพ์ไว้ทั้งบ่าย\nบรรทัดที่สอง"
    assert not QuarterResult.objects.exists()  # nothing saved on its own
    assert_accessible(page, "the restored form")

    page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    page.wait_for_url(lambda url: "restore=" not in url)
    assert QuarterResult.objects.get().value == Decimal("25")
    assert Narrative.objects.get().text == "รายงานที่พิมพ์ไว้ทั้งบ่าย\nบรรทัดที่สอง"


def test_the_expired_page_goes_back_to_the_form_as_the_browser_kept_it(page, login, form_url):
    """No CSRF cookie (cookies cleared while the form was open): the page
    says the page expired, not "no permission", and its way back is the
    browser's own, with what was typed still in the form."""
    login("somsri", "pass-somsri-1")
    page.goto(form_url)
    page.fill("#id_value", "๗")
    page.fill("#id_narrative", "ข้อความที่พิมพ์ไว้ก่อนคุกกี้หาย")
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    page.wait_for_load_state()
    heading = page.locator("h1").inner_text()
    assert heading == "หน้านี้หมดอายุ ยังไม่ได้บันทึก"
    assert "ไม่มีสิทธิ์เข้าถึง" not in page.locator("main").inner_text()
    assert "อนุญาตให้เบราว์เซอร์เก็บคุกกี้" in page.inner_text("#csrf-failure")
    assert_accessible(page, "the CSRF failure page")

    page.click("#back-link")
    page.wait_for_url(form_url)
    page.wait_for_load_state()
    assert page.input_value("#id_narrative") == "ข้อความที่พิมพ์ไว้ก่อนคุกกี้หาย"
    assert page.input_value("#id_value") == "๗"
    assert not QuarterResult.objects.exists()
