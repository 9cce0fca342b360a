"""Reads for data entry: the reporter's "my indicators" rows (a fixed number
of queries whatever the number of indicators) and one quarter's saved report."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from indicators import permissions, rules, workflow
from indicators.models import QUARTERS, FiscalYear, Indicator, Quarter, QuarterResult
from indicators.permissions import AnyUser

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
    result = QuarterResult.objects.filter(indicator=indicator, quarter=quarter).select_related("updated_by", "reviewed_by").first()
    narratives = list(
        Narrative.objects.filter(indicator=indicator, quarter=quarter).select_related("district_group")
    )
    evidence = Evidence.objects.filter(indicator=indicator, quarter=quarter, removed_at__isnull=True).order_by(
        "uploaded_at", "id"
    )
    return result, narratives, evidence


@dataclass(frozen=True)
class Comparison:
    """What a quarter's typed result is checked against (indicators/
    plausibility.py): the target that applies to the quarter, and the value
    and applicable target of the latest earlier quarter with a result."""

    target: Decimal | None
    previous_value: Decimal | None = None
    previous_target: Decimal | None = None


def comparison_for(indicator: Indicator, quarter: int) -> Comparison:
    """One query: the quarter's own milestone and the earlier quarters' rows."""
    rows = dict(
        (number, (target, value)) for number, target, value in
        QuarterResult.objects.filter(indicator=indicator, quarter__lte=quarter)
        .values_list("quarter", "target", "value")
    )
    target = rules.applicable_target(indicator.annual_target, rows.get(quarter, (None, None))[0])
    for number in range(quarter - 1, 0, -1):
        earlier_target, earlier_value = rows.get(number, (None, None))
        if earlier_value is not None:
            previous_target = rules.applicable_target(indicator.annual_target, earlier_target)
            return Comparison(target, earlier_value, previous_target)  # type: ignore[arg-type]
    return Comparison(target)  # type: ignore[arg-type]


def writers_since(result: QuarterResult, version: int | None) -> set[int | None]:
    """Who saved the quarter after `version` (the one a refused writer
    started from), by the history rows of the saves in between."""
    since = result.history.all() if version is None else result.history.filter(version__gt=version)
    return set(since.values_list("updated_by_id", flat=True))
