"""In a real Chromium: an evaluator scores quarter 4 of a "sum" indicator,
and its detail page shows each quarter judged by the sum to date, quarter 4
agreeing with the year (issue 16, point 3)."""

import re
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators import rules
from indicators.models import QuarterResult

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory, UserFactory
from .test_quarter_to_date import _accepted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = QuarterResult.Status


def test_sum_indicator_quarter_four_scored_and_shown_to_date(page, login):
    indicator = IndicatorFactory(fiscal_year=FiscalYearFactory(year=2569), code="SUM-1", owner=AgencyFactory(),
                                 annual_target=Decimal("80"), aggregation=rules.SUM, unit="ครั้ง", decimal_places=0)
    for quarter, value in ((1, "10"), (2, "20"), (3, "30")):
        _accepted(indicator, quarter, value)
    QuarterResultFactory(indicator=indicator, quarter=4, value=Decimal("25"), status=Status.SUBMITTED,
                         submitted_at=timezone.now())
    evaluator = UserFactory(role="evaluator", username="evaluator1")
    evaluator.set_password("pass-evaluator-1")
    evaluator.save()

    login("evaluator1", "pass-evaluator-1")
    page.goto("/review/2569/SUM-1/4/")
    # 10 + 20 + 30 + 25 = 85 against 80: the suggested 2.1 is the year's 100, not 25/80 = 31.25.
    assert page.inner_text("#review-value-to-date").startswith("85")
    assert page.input_value("#id_score_score") in ("100", "100.00")
    page.click("#form-score button[type=submit]")
    page.wait_for_load_state()

    page.goto(indicator.get_absolute_url())
    rows = page.locator("table.quarter-table tbody tr")
    cells = [[re.sub(r"\s+", " ", c).strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
             for i in range(4)]
    assert cells[1] == ["2", "80", "20 ผลรวมถึงไตรมาสนี้ 30", "37.50", "37.50 / 37.50"]
    assert cells[3] == ["4", "80", "25 ผลรวมถึงไตรมาสนี้ 85", "100.00", "100.00 / 100.00"]
    assert "บรรลุเป้าหมาย" in page.inner_text("main")
    final = QuarterResult.objects.get(indicator=indicator, quarter=4)
    assert (final.status, final.score_confirmed) == (Status.ACCEPTED, Decimal("100.00"))
