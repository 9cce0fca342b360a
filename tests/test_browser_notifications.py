"""In a real browser: the evaluator returns the seed's quarter 4; the
agency's reporter signs in, sees the bell's count, opens the notice and
lands on the quarter's report form."""

from urllib.parse import urlparse

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_returned_quarter_reaches_the_reporter_through_the_bell(seed, page, login, browser, live_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    login("evaluator", "demo-evaluator-2563")
    page.goto("/review/2563/2100-1037/4/")
    page.fill("#id_return_comment", "กรุณาแนบรายงานของกลุ่มกรุงธนใต้")
    page.click("#form-return button[type=submit]")
    assert "กลับให้หน่วยงานแก้ไขแล้ว" in page.inner_text("main")

    context = browser.new_context(base_url=live_server.url, locale="th-TH")
    reporter = context.new_page()
    reporter.goto("/accounts/login/")
    reporter.fill("#id_username", "reporter")
    reporter.fill("#id_password", "demo-reporter-2563")
    reporter.click("button[type=submit]")
    reporter.wait_for_load_state()
    assert reporter.inner_text("#notification-count").strip() == "1"

    reporter.click("#notification-bell")
    notice = reporter.locator("#notification-list li").first
    assert "ไตรมาสที่ 4 ของตัวชี้วัด 2100-1037 ถูกส่งกลับให้แก้ไข" in notice.inner_text()
    assert "กรุณาแนบรายงานของกลุ่มกรุงธนใต้" in notice.inner_text()
    notice.locator("button.notification-open").click()
    reporter.wait_for_load_state()
    assert urlparse(reporter.url).path == "/indicators/2563/2100-1037/quarters/4/report/"
    assert reporter.locator("form input[name=version]").count() == 1
    assert reporter.locator("#notification-count").count() == 0  # read now
    context.close()
