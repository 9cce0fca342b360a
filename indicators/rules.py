"""The computation rules, as plain functions on plain values so they can be
tested without a database and used alike by pages, PDFs and exports.

Interpretation (DOMAIN.md, README "Interpretation of the numbers"): the
achieved value comes from the quarters according to the indicator's
aggregation; a quarter is judged by the value achieved to date (quarters
1..n aggregated) against the target that applies to quarter n, so quarter 4
agrees with the year. Achievement is value / target x 100 capped at 100 (the
ratio inverted when less is better)."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

CUMULATIVE = "cumulative"
SUM = "sum"
AVERAGE = "average"
LATEST = "latest"

HIGHER_IS_BETTER = "higher"
LOWER_IS_BETTER = "lower"

MET = "met"
NOT_MET = "not_met"
PENDING = "pending"

HUNDRED = Decimal("100")
ZERO = Decimal("0")
# Scores 2.1 and 2.2 are stored and shown with two decimals.
SCORE_PLACES = Decimal("0.01")

Value = Decimal | int | str | None


def achieved_value(values: Sequence[Value], aggregation: str) -> Decimal | None:
    """The year's achieved value from the quarters' results in quarter order;
    None entries are quarters not reported yet. None if nothing is reported."""
    reported = [Decimal(v) for v in values if v is not None]
    if not reported:
        return None
    if aggregation in (CUMULATIVE, LATEST):
        # A cumulative result already includes the earlier quarters.
        return reported[-1]
    if aggregation == SUM:
        return sum(reported, ZERO)
    if aggregation == AVERAGE:
        return sum(reported, ZERO) / len(reported)
    raise ValueError(f"unknown aggregation: {aggregation!r}")


def value_to_date(values: Sequence[Value], quarter: int, aggregation: str) -> Decimal | None:
    """The value achieved as of quarter n (1-4): the aggregation applied to
    quarters 1..n, i.e. the latest value for cumulative and latest
    indicators, the running sum, or the running average of the quarters
    reported. None while quarter n itself has no result: a quarter with
    nothing reported is not judged on earlier quarters' figures."""
    if quarter < 1 or quarter > len(values) or values[quarter - 1] is None:
        return None
    return achieved_value(values[:quarter], aggregation)


def applicable_target(annual_target: Value, quarter_target: Value = None) -> Value:
    """A quarter is measured against its own milestone when one is set,
    else against the annual target."""
    return quarter_target if quarter_target is not None else annual_target


def achievement_percent(result: Value, target: Value, direction: str = HIGHER_IS_BETTER) -> Decimal | None:
    """Achievement in percent, capped at 100; None when there is no result
    or no target to compare with."""
    if result is None or target is None:
        return None
    result, target = Decimal(result), Decimal(target)
    if direction == HIGHER_IS_BETTER:
        if target <= 0:
            # Any non-negative result meets a zero target.
            return HUNDRED if result >= target else ZERO
        percent = result / target * HUNDRED
    elif direction == LOWER_IS_BETTER:
        if result <= target:
            return HUNDRED
        if result <= 0 or target < 0:
            return ZERO
        # A target of zero cannot be approached from above by a ratio: missed.
        percent = target / result * HUNDRED if target > 0 else ZERO
    else:
        raise ValueError(f"unknown direction: {direction!r}")
    return max(ZERO, min(HUNDRED, percent))


def quarter_achievement(
    values: Sequence[Value], quarter: int, aggregation: str, target: Value, direction: str = HIGHER_IS_BETTER
) -> Decimal | None:
    """Achievement % of quarter n: its value to date against the target that
    applies to it (`target`, see applicable_target). For quarter 4 without a
    milestone of its own this is the year's achievement."""
    return achievement_percent(value_to_date(values, quarter, aggregation), target, direction)


def suggested_score(
    values: Sequence[Value], quarter: int, aggregation: str, target: Value, direction: str = HIGHER_IS_BETTER
) -> Decimal | None:
    """Score 2.1 of quarter n, the score that follows from the reported
    results: the quarter's achievement %, rounded half up to the two places
    a score is stored with. None when quarter n has nothing reported."""
    percent = quarter_achievement(values, quarter, aggregation, target, direction)
    if percent is None:
        return None
    return percent.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def year_status(achieved: Value, annual_target: Value, direction: str, final_quarter_evaluated: bool) -> str:
    """MET / NOT_MET once quarter 4 has been evaluated, else PENDING."""
    if not final_quarter_evaluated or achieved is None:
        return PENDING
    percent = achievement_percent(achieved, annual_target, direction)
    return MET if percent is not None and percent >= HUNDRED else NOT_MET
