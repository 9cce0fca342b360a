"""The audit log in a real browser: an evaluator follows the navigation's
link, sees a result change with its old and new value, filters by kind."""

import os
from decimal import Decimal

import pytest

from indicators.workflow import record_change
from tests.factories import QuarterResultFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_evaluator_reads_and_filters_the_log(page, login, tmp_path):
    UserFactory(username="auditor", role="evaluator")
    reporter = UserFactory(username="somchai")
    result = QuarterResultFactory(value=Decimal("10"))
    result.value = Decimal("12")
    record_change(result, reporter, "แก้ไขผลงาน")
    result.save()
    login("somchai", "wrong-password")
    login("auditor", "pass-1234-word")
    page.click("#nav-audit")
    page.wait_for_selector("table.audit-log")
    row = page.locator("tr.audit-entry[data-kind=result]").first
    assert "10 → 12" in row.inner_text() and "somchai" in row.inner_text()
    assert page.locator("tr.audit-entry[data-kind=sign_in_failed]").count() == 1
    page.screenshot(path=os.environ.get("AUDIT_SCREENSHOT", str(tmp_path / "audit.png")), full_page=True)
    page.select_option("#id_kind", "sign_in_failed")
    page.click("form[role=search] button[type=submit]")
    page.wait_for_load_state()
    kinds = page.locator("tr.audit-entry").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert kinds == ["sign_in_failed"]
