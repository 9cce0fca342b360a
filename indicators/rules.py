"""The computation rules, as plain functions on plain values so they can be
tested without a database and used alike by pages, PDFs and exports.

Interpretation (DOMAIN.md): a quarter's result is compared with the target
that applies to it; achievement is result / target x 100 capped at 100 (the
ratio inverted when less is better); the year's achieved value comes from the
quarters according to the indicator's aggregation."""

from decimal import Decimal

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


def achieved_value(values, aggregation):
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


def applicable_target(annual_target, quarter_target=None):
    """A quarter is measured against its own milestone when one is set,
    else against the annual target."""
    return quarter_target if quarter_target is not None else annual_target


def achievement_percent(result, target, direction=HIGHER_IS_BETTER):
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


def suggested_score(result, target, direction=HIGHER_IS_BETTER):
    """Score 2.1, the score that follows from the reported result: the
    achievement percentage, on the 0-100 scale."""
    return achievement_percent(result, target, direction)


def year_status(achieved, annual_target, direction, final_quarter_evaluated):
    """MET / NOT_MET once quarter 4 has been evaluated, else PENDING."""
    if not final_quarter_evaluated or achieved is None:
        return PENDING
    percent = achievement_percent(achieved, annual_target, direction)
    return MET if percent is not None and percent >= HUNDRED else NOT_MET
