"""In a real Chromium: the report form counts a narrative's characters while
the reporter types and warns once it passes the limit, before any save."""

import pytest

from reports.models import Narrative

from .entry_support import COUNTED_TEXTS, open_indicator
from .factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]


def test_counter_warns_past_the_limit(page, login):
    indicator = open_indicator(decimal_places=0, unit="ชุมชน")
    reporter = UserFactory(role="reporter", agencies=[indicator.owner], username="reporter1")
    reporter.set_password("pass-reporter-1")
    reporter.save()
    login("reporter1", "pass-reporter-1")
    page.goto(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/")

    counter = page.locator("#id_narrative_counter")
    assert counter.inner_text() == "0 / 50,000 ตัวอักษร"
    page.fill("#id_narrative", "ก" * 50_000)
    assert counter.inner_text() == "50,000 / 50,000 ตัวอักษร"
    assert "text-danger" not in counter.get_attribute("class")
    page.fill("#id_narrative", "ก" * 50_003)
    assert counter.inner_text() == "50,003 / 50,000 ตัวอักษร เกินกำหนด 3 ตัวอักษร โปรดตัดให้สั้นลงก่อนบันทึก"
    assert "text-danger" in counter.get_attribute("class")
    assert "is-invalid" in page.get_attribute("#id_narrative", "class")


def test_a_post_over_the_limit_keeps_the_text_for_the_back_button(page, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
    indicator = open_indicator(decimal_places=0, unit="ชุมชน")
    reporter = UserFactory(role="reporter", agencies=[indicator.owner], username="reporter2")
    reporter.set_password("pass-reporter-2")
    reporter.save()
    login("reporter2", "pass-reporter-2")
    page.goto(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/")
    # 100,000 Thai characters, 300 KB: over the (lowered) request limit.
    page.evaluate("document.querySelector('#id_narrative').value = 'ก'.repeat(100000)")
    with page.expect_navigation():
        page.evaluate("document.querySelector('#report-form')"
                      ".requestSubmit(document.querySelector('button[value=draft]'))")
    assert "ระบบยังไม่ได้บันทึกข้อมูลใด ๆ จากแบบฟอร์มนี้" in page.inner_text("#too-large")
    page.go_back()
    page.wait_for_load_state()
    assert page.evaluate("document.querySelector('#id_narrative').value.length") == 100_000


@pytest.mark.parametrize(("typed", "counted"), COUNTED_TEXTS)
def test_the_counter_counts_as_the_server_does(page, login, typed, counted):
    """Trailing line breaks and spaces, emoji, Windows line endings: the
    counter under the box says what the server's message will say."""
    indicator = open_indicator(decimal_places=0, unit="ชุมชน")
    reporter = UserFactory(role="reporter", agencies=[indicator.owner], username="reporter3")
    reporter.set_password("pass-reporter-3")
    reporter.save()
    login("reporter3", "pass-reporter-3")
    page.goto(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/")
    page.fill("#id_narrative", typed)
    counter = page.locator("#id_narrative_counter")
    shown = counter.inner_text()
    assert shown.startswith(f"{counted:,} / 50,000 ตัวอักษร")
    assert ("text-danger" in counter.get_attribute("class")) == (counted > 50_000)

    with page.expect_navigation():
        page.click("button[value=draft]")
    if counted > 50_000:
        # The server's own count, on the page it answers with; the counter
        # over the text given back says it again.
        assert f"ข้อความยาว {counted:,} ตัวอักษร" in page.inner_text("#report-form")
        assert page.locator("#id_narrative_counter").inner_text() == shown
    else:
        assert len(Narrative.objects.get(indicator=indicator).text) == counted
