"""Keyboard only: a reporter fills and submits the quarter report, an
evaluator returns a quarter with a comment and accepts another, with Tab,
typing and Enter; the focused control always shows a visible outline, and a
refused form announces its errors (role=alert, aria-invalid,
aria-describedby pointing at the message)."""

import re
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from indicators.models import Indicator, QuarterResult

from .a11y import assert_accessible
from .entry_support import set_window
from .factories import IndicatorFactory, QuarterResultFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

DISTRICT_CODE = "5013-0001"
Status = QuarterResult.Status


def tab_to(page, selector, limit=80):
    """Presses Tab until the element matching `selector` has the focus, and
    checks that the focus is drawn (an outline or a focus ring shadow)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            style = page.evaluate("() => { const s = getComputedStyle(document.activeElement);"
                                  " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }")
            outline_drawn = style[0] != "none" and style[1] != "0px"
            assert outline_drawn or style[2] != "none", f"focus not visible on {selector}: {style}"
            return
    raise AssertionError(f"{selector} not reachable with Tab")


@pytest.fixture
def demo():
    call_command("load_demo", quiet_logins=True)
    indicator = Indicator.objects.get(code=DISTRICT_CODE)
    set_window(indicator, 1)
    return indicator


def assert_error_announced(page, selector, message):
    """The field in error is marked invalid, describes itself by its message,
    and has the focus when the page comes back (so it is read out)."""
    field = page.locator(selector)
    assert field.get_attribute("aria-invalid") == "true"
    ids = field.get_attribute("aria-describedby").split()
    assert any(message in page.locator(f"#{i}").inner_text() for i in ids if page.locator(f"#{i}").count())
    assert page.evaluate("(s) => document.activeElement.matches(s)", selector)


def submit_by_keyboard(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def sign_in_by_keyboard(page, username, password):
    page.goto("/accounts/login/")
    tab_to(page, "#id_username")
    page.keyboard.type(username)
    tab_to(page, "#id_password")
    page.keyboard.type(password)
    submit_by_keyboard(page)


def test_reporter_reports_a_quarter_with_the_keyboard_only(page, demo):
    sign_in_by_keyboard(page, "rajthewi", "demo-rajthewi-2570")
    page.goto(f"/indicators/2570/{DISTRICT_CODE}/quarters/1/report/")

    tab_to(page, "#id_value")
    page.keyboard.type("12.5")  # whole numbers only: refused
    tab_to(page, "#id_narrative")
    page.keyboard.type("ชุมชนเริ่มคัดแยกขยะ")
    tab_to(page, "button[value=submit]")
    submit_by_keyboard(page)

    assert page.locator("#form-errors[role=alert]").is_visible()
    assert_error_announced(page, "#id_value", "ตัวชี้วัดนี้รับผลงานเป็นจำนวนเต็มเท่านั้น")
    assert_accessible(page, "the report form with its errors")

    page.keyboard.press("Control+A")  # the focus is already on the value in error
    page.keyboard.type("12")
    tab_to(page, "button[value=submit]")
    submit_by_keyboard(page)
    # No evidence for the checklist's items: confirmed once, by keyboard too.
    tab_to(page, "#id_confirm_missing_evidence")
    page.keyboard.press("Space")
    tab_to(page, "button[value=submit]")
    submit_by_keyboard(page)
    assert re.search(rf"/indicators/2570/{DISTRICT_CODE}/(#messages)?$", page.url)
    result = QuarterResult.objects.get(indicator=demo, quarter=1)
    # FY 2570 of the demo asks for the agency's sign-off first.
    assert (result.value, result.status) == (Decimal("12"), Status.AWAITING_APPROVAL)


def test_evaluator_returns_and_accepts_with_the_keyboard_only(page, demo):
    other = IndicatorFactory(fiscal_year=demo.fiscal_year, owner=demo.owner, code="5013-0002",
                             annual_target=Decimal("80"))
    first = QuarterResultFactory(indicator=other, quarter=1, value=Decimal("40"), status=Status.SUBMITTED, version=1)
    second = QuarterResultFactory(indicator=demo, quarter=1, value=Decimal("9"), status=Status.SUBMITTED, version=1)
    sign_in_by_keyboard(page, "evaluator", "demo-evaluator-2563")

    page.goto("/review/2570/5013-0002/1/")
    tab_to(page, "#form-return button[type=submit]")
    submit_by_keyboard(page)  # no comment yet: refused, and said so
    assert_error_announced(page, "#id_return_comment", "กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข")
    assert_accessible(page, "the review page with its errors")
    page.keyboard.type("ผลงานไม่ตรงกับหลักฐาน")  # the focus is already on the comment
    tab_to(page, "#form-return button[type=submit]")
    submit_by_keyboard(page)
    assert urlparse(page.url).path == "/review/"
    first.refresh_from_db()
    assert first.status == Status.RETURNED

    page.goto(f"/review/2570/{DISTRICT_CODE}/1/")
    tab_to(page, "#form-accept button[type=submit]")
    submit_by_keyboard(page)
    assert urlparse(page.url).path == "/review/"
    second.refresh_from_db()
    assert second.status == Status.ACCEPTED
