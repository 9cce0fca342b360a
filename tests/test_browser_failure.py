"""In a real Chromium: the CSP watch of every browser test catches a
violation; a save that fails because the database is down shows the Thai 503
page, and the browser's back button returns to the form with the text still
typed in it."""

import re

import pytest
from django.core.management import call_command
from django.db import OperationalError

from indicators.models import Indicator, QuarterResult
from reports import services

from .entry_support import set_window
from .pytest_fixtures import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


def test_the_csp_watch_sees_an_inline_script(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    violations = watch_csp(page)
    page.route("**/csp-probe", lambda route: route.fulfill(
        status=200, content_type="text/html",
        headers={"Content-Security-Policy": "script-src 'self'"},
        body="<!doctype html><p>probe</p><script>document.title = 'ran'</script>"))
    page.goto("/csp-probe")
    page.wait_for_load_state("load")
    assert page.title() != "ran"
    assert violations and "inline script" in violations[0]
    context.close()


def test_after_a_failed_save_back_returns_the_typed_text(page, login, monkeypatch):
    call_command("load_demo", quiet_logins=True)
    indicator = Indicator.objects.get(code="5013-0001")
    set_window(indicator, 1)

    def database_down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "save_quarter_report", database_down)
    login("rajthewi", "demo-rajthewi-2570")
    page.goto("/indicators/2570/5013-0001/quarters/1/report/")
    page.fill("#id_value", "15")
    page.fill("#id_narrative", "ข้อความยาวที่พิมพ์ไว้ก่อนฐานข้อมูลล่ม")
    with page.expect_response(re.compile(r"/report/$")) as answer:
        page.get_by_role("button", name="บันทึกฉบับร่าง").click()
    assert answer.value.status == 503
    notice = page.locator("#unsaved-notice").inner_text()
    assert "ยังไม่ได้ถูกบันทึก" in notice and "ปุ่มย้อนกลับ" in notice
    assert page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(10, 88, 202)"  # app.css navbar

    page.go_back()
    assert page.input_value("#id_narrative") == "ข้อความยาวที่พิมพ์ไว้ก่อนฐานข้อมูลล่ม"
    assert page.input_value("#id_value") == "15"
    assert not QuarterResult.objects.filter(indicator=indicator, value=15).exists()
