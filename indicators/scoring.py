"""One indicator's score under its fiscal year's scheme: the figures an
agency's scorecard (evaluation/scorecards.py) totals, and that the
indicator's sheet and the public site show beside its results. Plain
computations on rows already loaded; the rules themselves are rules.py's.

What counts for an indicator (README, "Scorecards"):
- final once its quarter 4 has score 2.2: the percent scheme counts 2.2, the
  five-level scheme the level of the year's achieved value;
- provisional before that, from what has been reported: the percent scheme
  counts 2.1 of the latest quarter reported (rules.suggested_score), the
  five-level scheme the level of that quarter's value to date;
- pending when nothing is reported (or, in the five-level scheme, when the
  indicator has no criteria).
A quarter the evaluator returned for correction counts as not reported
until it is submitted again: its value is not the agency's word any more."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from . import rules
from .models import QuarterResult

FINAL_QUARTER = 4
RETURNED = QuarterResult.Status.RETURNED


class ScoredSubject(Protocol):
    """What scoring reads of an indicator (an Indicator, or a row of
    evaluation/selectors/scorecard.py)."""

    @property
    def id(self) -> int: ...
    @property
    def owner_id(self) -> int: ...
    @property
    def weight(self) -> Decimal: ...
    @property
    def annual_target(self) -> Decimal | None: ...
    @property
    def aggregation(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def criteria(self) -> list[Decimal | None]: ...


@dataclass(slots=True)
class IndicatorScore:
    indicator: Any
    weight: Decimal
    # The quarter the provisional figures are taken at (the latest reported).
    as_of_quarter: int | None
    value_to_date: Decimal | None
    score_self: Decimal | None  # 2.1 of that quarter, from the results
    score_confirmed: Decimal | None  # 2.2 of quarter 4, the evaluator's
    level: Decimal | None  # the five-level score, None without criteria or result
    has_criteria: bool
    final: bool
    score: Decimal | None = None  # what the year's scheme counts
    contribution: Decimal | None = None  # weight × score / Σ weight of the scored
    # Quarters with a result that the evaluator returned: not counted.
    returned_quarters: tuple[int, ...] = ()

    @property
    def pending(self) -> bool:
        return self.score is None


def score_indicator(indicator: ScoredSubject, values: Sequence[Decimal | None],
                    milestones: Sequence[Decimal | None], final_self: Decimal | None,
                    final_confirmed: Decimal | None, scheme: str, below_level_one: int = 0,
                    statuses: Sequence[str | None] = ()) -> IndicatorScore:
    """One indicator's figures from its quarters' results, milestones and
    workflow statuses (quarters 1-4, None where not set) and quarter 4's
    scores 2.1 / 2.2. A returned quarter's result is left out."""
    returned = tuple(q for q, status in enumerate(statuses, start=1)
                     if status == RETURNED and values[q - 1] is not None)
    values = [None if q in returned else value for q, value in enumerate(values, start=1)]
    reported = [q for q in range(1, FINAL_QUARTER + 1) if values[q - 1] is not None]
    final = final_confirmed is not None and values[FINAL_QUARTER - 1] is not None
    quarter = FINAL_QUARTER if final else (reported[-1] if reported else None)
    to_date = score_self = None
    if quarter is not None:
        target = rules.applicable_target(indicator.annual_target, milestones[quarter - 1])
        to_date = rules.value_to_date(values, quarter, indicator.aggregation)
        # rules.suggested_score, without computing the value to date twice.
        score_self = rules.rounded_score(rules.achievement_percent(to_date, target, indicator.direction))
        if final and final_self is not None:
            score_self = final_self  # as the evaluator saw it suggested
    criteria = indicator.criteria
    has_criteria = all(t is not None for t in criteria)
    level = rules.five_level_score(to_date, criteria, indicator.direction, below_level_one) if has_criteria else None
    if scheme == rules.FIVE_LEVEL_SCHEME:
        score = level
    else:
        score = final_confirmed if final else score_self
    return IndicatorScore(
        indicator=indicator, weight=indicator.weight or Decimal(0), as_of_quarter=quarter, value_to_date=to_date,
        score_self=score_self, score_confirmed=final_confirmed if final else None, level=level,
        has_criteria=has_criteria, final=final, score=score, returned_quarters=returned,
    )


def score_from_results(indicator: ScoredSubject, results: Mapping[int, Any], scheme: str,
                       below_level_one: int = 0) -> IndicatorScore:
    """score_indicator from {quarter: QuarterResult-like row} (the sheet's)."""
    quarters = range(1, FINAL_QUARTER + 1)
    final_row = results.get(FINAL_QUARTER)
    return score_indicator(
        indicator, [getattr(results.get(q), "value", None) for q in quarters],
        [getattr(results.get(q), "target", None) for q in quarters],
        getattr(final_row, "score_self", None), getattr(final_row, "score_confirmed", None), scheme, below_level_one,
        [getattr(results.get(q), "status", None) for q in quarters],
    )
