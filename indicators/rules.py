"""The computation rules, as plain functions on plain values so they can be
tested without a database and used alike by pages, PDFs and exports.

Interpretation (docs/domain.md, README "Interpretation of the numbers"): the
achieved value comes from the quarters according to the indicator's
aggregation; a quarter is judged by the value achieved to date (quarters
1..n aggregated) against the target that applies to quarter n, so quarter 4
agrees with the year. Achievement is value / target x 100 capped at 100 (the
ratio inverted when less is better)."""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

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
    return rounded_score(quarter_achievement(values, quarter, aggregation, target, direction))


def rounded_score(percent: Decimal | None) -> Decimal | None:
    """An achievement % as a score 2.1 is stored: half up to two places."""
    if percent is None:
        return None
    return percent.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


def year_status(achieved: Value, annual_target: Value, direction: str, final_quarter_evaluated: bool) -> str:
    """MET / NOT_MET once quarter 4 has been evaluated, else PENDING."""
    if not final_quarter_evaluated or achieved is None:
        return PENDING
    percent = achievement_percent(achieved, annual_target, direction)
    return MET if percent is not None and percent >= HUNDRED else NOT_MET


# --- the five-level scheme (เกณฑ์การให้คะแนน 1-5) ------------------------------

PERCENT_SCHEME = "percent"
FIVE_LEVEL_SCHEME = "five_level"

LEVELS = 5
# Levels are shown with four decimals, as the OPDC tables print them.
LEVEL_PLACES = Decimal("0.0001")


def criteria_problems(thresholds: Sequence[Value], direction: str) -> list[str]:
    """Why five criteria thresholds (the results that earn levels 1..5) are
    unusable, as codes: "incomplete" (some but not all five given),
    "not_ascending" / "not_descending" (against the direction; equal
    neighbours are allowed). An empty list when they are usable or when
    none is given (criteria are optional)."""
    given = [t for t in thresholds if t is not None and t != ""]
    if not given:
        return []
    if len(thresholds) != LEVELS or len(given) != LEVELS:
        return ["incomplete"]
    values = [Decimal(t) for t in given]
    pairs = list(pairwise(values))
    if direction == HIGHER_IS_BETTER and any(b < a for a, b in pairs):
        return ["not_ascending"]
    if direction == LOWER_IS_BETTER and any(b > a for a, b in pairs):
        return ["not_descending"]
    return []


def five_level_score(result: Value, thresholds: Sequence[Value], direction: str = HIGHER_IS_BETTER,
                     below_level_one: int = 0) -> Decimal | None:
    """The OPDC score level (0-5, four decimals) of a result against the five
    thresholds of levels 1..5: below level 1 scores `below_level_one` (0 or 1,
    the fiscal year's setting), at or past level 5 scores 5, in between by
    linear interpolation from the highest level reached. For lower-is-better
    criteria (descending thresholds) "reached" means at or below. None when
    there is no result or no usable criteria: never a level for "pending"."""
    if result is None or len(thresholds) != LEVELS or any(t is None for t in thresholds):
        return None
    # Decimal() only where needed: a ranking scores thousands of indicators.
    value = result if isinstance(result, Decimal) else Decimal(result)
    levels = [t if isinstance(t, Decimal) else Decimal(t) for t in thresholds]  # type: ignore[arg-type]
    if direction == LOWER_IS_BETTER:
        # Mirrored, lower-is-better is higher-is-better.
        value, levels = -value, [-t for t in levels]
    elif direction != HIGHER_IS_BETTER:
        raise ValueError(f"unknown direction: {direction!r}")
    if any(b < a for a, b in pairwise(levels)):
        return None  # against the direction: criteria_problems says why
    if value < levels[0]:
        return Decimal(below_level_one).quantize(LEVEL_PLACES)
    if value >= levels[-1]:
        return Decimal(LEVELS).quantize(LEVEL_PLACES)
    # The highest level reached; the next one is then strictly above the
    # value, so the interval is never empty even when thresholds repeat.
    reached = max(k for k in range(LEVELS) if value >= levels[k])
    low, high = levels[reached], levels[reached + 1]
    level = Decimal(reached + 1) + (value - low) / (high - low)
    return level.quantize(LEVEL_PLACES, rounding=ROUND_HALF_UP)


def weighted_total(pairs: Sequence[tuple[Value, Value]]) -> Decimal | None:
    """Σ(weight × score) / Σ(weight) over (weight, score) pairs whose score is
    known; a pending score (None) is left out, never counted as 0. None when
    no weight is left. Four decimals, half up."""
    known = [(Decimal(w), Decimal(s)) for w, s in pairs if s is not None and w is not None]
    weights = sum((w for w, _ in known), ZERO)
    if weights <= 0:
        return None
    total = sum((w * s for w, s in known), ZERO) / weights
    return total.quantize(LEVEL_PLACES, rounding=ROUND_HALF_UP)
