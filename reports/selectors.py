"""Reads for data entry: the reporter's "my indicators" rows (a fixed number
of queries whatever the number of indicators) and one quarter's saved report."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from indicators import permissions, workflow
from indicators.permissions import AnyUser
from indicators.models import QUARTERS, FiscalYear, Indicator, Quarter, QuarterResult

from .models import Evidence, Narrative


def fiscal_year_of(day: datetime.date) -> int:
    """The Buddhist Era fiscal year a day falls in: 1 Oct 2026 starts FY 2570."""
    return day.year + 543 + (1 if day.month >= 10 else 0)


@dataclass
class QuarterState:
    number: int
    status: str
    status_label: object  # a lazily translated label
    is_open: bool
    reviewer_comment: str

    @property
    def returned(self) -> bool:
        return self.status == QuarterResult.Status.RETURNED


@dataclass
class IndicatorRow:
    indicator: Indicator
    quarters: list[QuarterState]


def my_indicator_rows(
    user: AnyUser, today: datetime.date
) -> tuple[int, FiscalYear | None, list[Quarter], list[IndicatorRow]]:
    """(fiscal year number, FiscalYear or None, quarters open today, rows)."""
    year_number = fiscal_year_of(today)
    fiscal_year = FiscalYear.objects.filter(year=year_number).first()
    if fiscal_year is None:
        return year_number, None, [], []
    windows = {q.number: q for q in Quarter.objects.filter(fiscal_year=fiscal_year)}
    indicators = (
        permissions.reportable_indicators(user, Indicator.objects.filter(fiscal_year=fiscal_year))
        .select_related("owner", "fiscal_year")
        .prefetch_related("quarter_results")
        .order_by("owner__code", "code")
    )
    rows: list[IndicatorRow] = []
    for indicator in indicators:
        results = {r.quarter: r for r in indicator.quarter_results.all()}
        states = []
        for number in QUARTERS:
            result = results.get(number)
            status = result.status if result else QuarterResult.Status.NOT_STARTED
            states.append(
                QuarterState(
                    number=number,
                    status=status,
                    status_label=QuarterResult.Status(status).label,
                    is_open=workflow.window_is_open(windows.get(number), result, today),
                    reviewer_comment=result.reviewer_comment if result else "",
                )
            )
        rows.append(IndicatorRow(indicator=indicator, quarters=states))
    open_now = [n for n, q in sorted(windows.items()) if q.is_open_on(today)]
    return year_number, fiscal_year, [windows[n] for n in open_now], rows


def quarter_window(indicator: Indicator, number: int) -> Quarter | None:
    """The Quarter row holding this indicator's reporting window, or None."""
    return Quarter.objects.filter(fiscal_year_id=indicator.fiscal_year_id, number=number).first()


def saved_report(
    indicator: Indicator, quarter: int
) -> tuple[QuarterResult | None, list[Narrative], QuerySet[Evidence]]:
    """(QuarterResult or None, narratives, current evidence) of one quarter."""
    result = QuarterResult.objects.filter(indicator=indicator, quarter=quarter).select_related("updated_by").first()
    narratives = list(
        Narrative.objects.filter(indicator=indicator, quarter=quarter).select_related("district_group")
    )
    evidence = Evidence.objects.filter(indicator=indicator, quarter=quarter, removed_at__isnull=True).order_by(
        "uploaded_at", "id"
    )
    return result, narratives, evidence


def previous_value(indicator: Indicator, quarter: int) -> Decimal | None:
    """The latest result reported before this quarter, for the cumulative check."""
    earlier = (
        QuarterResult.objects.filter(indicator=indicator, quarter__lt=quarter, value__isnull=False)
        .order_by("-quarter")
        .first()
    )
    return earlier.value if earlier else None
