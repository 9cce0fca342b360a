"""An indicator's trend across years: the indicators with the same code in
this and earlier fiscal years, each year's target, achieved value,
achievement and status, in two queries whatever the number of years."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from .. import quarter_rows, rules
from ..models import FINAL_QUARTER, QUARTERS, Indicator, QuarterResult


@dataclass
class YearPoint:
    # `number`, `target` and `value` are what reports/charts.quarter_chart draws.
    number: int  # the fiscal year
    code: str
    unit: str
    decimal_places: int
    target: Decimal | None
    value: Decimal | None  # the year's achieved value so far
    achievement: Decimal | None
    status: str
    final_score: Decimal | None
    is_current: bool
    aggregation: str = rules.CUMULATIVE
    direction: str = rules.HIGHER_IS_BETTER
    # Why this year is not drawn on the shown year's axis ("หน่วยนับ ตัน"),
    # empty when it is (comparable()).
    differences: list = field(default_factory=list)

    @property
    def status_label(self) -> object:
        return quarter_rows.STATUS_LABELS[self.status]

    @property
    def comparable(self) -> bool:
        return not self.differences

    @property
    def value_to_date(self) -> Decimal | None:
        return self.value


def same_code(indicator: Indicator) -> QuerySet[Indicator]:
    """The indicators with this code in this and earlier fiscal years."""
    return Indicator.objects.filter(code=indicator.code, fiscal_year__year__lte=indicator.fiscal_year.year)


def differences(point: YearPoint, shown: Indicator) -> list[str]:
    """What makes a year's figures another measure than the shown
    indicator's: its unit (12 ตัน is not 12 กิโลเมตร), its aggregation (a
    sum of quarters is not their average) or its direction. Each as the
    page says it, with the other year's value: "หน่วยนับ ตัน"."""
    found = []
    if point.unit.strip() != shown.unit.strip():
        found.append(str(_("หน่วยนับ %(unit)s") % {"unit": point.unit}))
    if point.aggregation != shown.aggregation:
        found.append(str(Indicator.Aggregation(point.aggregation).label))
    if point.direction != shown.direction:
        found.append(str(Indicator.Direction(point.direction).label))
    return found


def year_points(indicator: Indicator) -> list[YearPoint]:
    """Oldest year first; the indicator's own year last. A year measured
    otherwise than this one (differences()) says how, so the chart leaves
    it off the axis and the page names why."""
    rows = (
        same_code(indicator).order_by("fiscal_year__year")
        .values_list("id", "fiscal_year__year", "unit", "decimal_places", "annual_target", "aggregation", "direction")
    )
    results: dict[int, dict[int, tuple[Decimal | None, Decimal | None]]] = {}
    for indicator_id, quarter, value, confirmed in (
        QuarterResult.objects.filter(indicator__in=same_code(indicator)).order_by()
        .values_list("indicator_id", "quarter", "value", "score_confirmed")
    ):
        results.setdefault(indicator_id, {})[quarter] = (value, confirmed)
    points = []
    for pk, year, unit, places, target, aggregation, direction in rows:
        quarters = results.get(pk, {})
        achieved = rules.achieved_value([quarters.get(q, (None, None))[0] for q in QUARTERS], aggregation)
        final = quarters.get(FINAL_QUARTER, (None, None))[1]
        point = YearPoint(
            number=year, code=indicator.code, unit=unit, decimal_places=places, target=target, value=achieved,
            achievement=rules.achievement_percent(achieved, target, direction),
            status=rules.year_status(achieved, target, direction, final is not None),
            final_score=final, is_current=pk == indicator.pk, aggregation=aggregation, direction=direction,
        )
        point.differences = differences(point, indicator)
        points.append(point)
    return points


def _achievements(indicators: QuerySet[Indicator], quarter: int) -> dict[str, Decimal]:
    """{code: achievement % at quarter n} of these indicators (one query for
    the indicators, one for their results), by the rule the list's
    per-quarter status uses: the value to date against the target that
    applies to quarter n."""
    fields = {
        pk: (code, target, aggregation, direction)
        for pk, code, target, aggregation, direction in indicators.order_by()
        .values_list("id", "code", "annual_target", "aggregation", "direction")
    }
    quarters: dict[int, dict[int, tuple[Decimal | None, Decimal | None]]] = {}
    for pk, number, value, milestone in (
        QuarterResult.objects.filter(indicator__in=indicators.order_by().values("pk"), quarter__lte=quarter)
        .order_by().values_list("indicator_id", "quarter", "value", "target")
    ):
        quarters.setdefault(pk, {})[number] = (value, milestone)
    achievements = {}
    for pk, (code, annual_target, aggregation, direction) in fields.items():
        rows = quarters.get(pk, {})
        values = [rows.get(q, (None, None))[0] for q in range(1, quarter + 1)]
        target = rules.applicable_target(annual_target, rows.get(quarter, (None, None))[1])
        percent = rules.quarter_achievement(values, quarter, aggregation, target, direction)
        if percent is not None:
            achievements[code] = percent
    return achievements


def declined(indicators: QuerySet[Indicator], year: int, quarter: int) -> QuerySet[Indicator]:
    """Those of `indicators` (of fiscal year `year`) whose achievement at
    quarter n is lower than that of the same code's indicator a year before
    at the same quarter. Indicators not reported in either year are not
    compared. Four queries whatever the number of indicators."""
    this_year = _achievements(indicators, quarter)
    last_year = _achievements(
        Indicator.objects.filter(fiscal_year__year=year - 1, code__in=indicators.order_by().values("code")), quarter
    )
    codes = [code for code, percent in this_year.items() if code in last_year and percent < last_year[code]]
    return indicators.filter(code__in=codes)
