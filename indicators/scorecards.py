"""Agency scorecards and the ranking of agencies: each indicator's score
under the fiscal year's scheme, weighted within its agency (Σ weight × score
/ Σ weight). Plain computations on rows already loaded
(selectors/scorecard.py loads them in a fixed number of queries); the rules
themselves are rules.py's.

What counts for an indicator (README, "Scorecards"):
- final once its quarter 4 has score 2.2: the percent scheme counts 2.2, the
  five-level scheme the level of the year's achieved value;
- provisional before that, from what has been reported: the percent scheme
  counts 2.1 of the latest quarter reported (rules.suggested_score), the
  five-level scheme the level of that quarter's value to date;
- pending when nothing is reported (or, in the five-level scheme, when the
  indicator has no criteria): left out of the total, never counted as 0,
  and counted on the card and in the ranking.
A quarter the evaluator returned for correction counts as not reported
until it is submitted again: its value is not the agency's word any more.
An agency's total is final when every indicator of it is final; the card
and the ranking count its indicators in three disjoint kinds (COUNT_LABELS):
evaluated (final, with a score), provisional (a score, not final) and
without a score (pending)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from . import formats, rules
from .models import QuarterResult

HUNDRED = Decimal(100)
FINAL_QUARTER = 4
RETURNED = QuarterResult.Status.RETURNED

# The words the scorecard and the ranking both count an agency's indicators
# in (Scorecard.final_count, provisional_count, pending_count).
COUNT_LABELS = {
    "indicators": pgettext_lazy("number of indicators", "ตัวชี้วัด"),
    "final": gettext_lazy("ประเมินแล้ว"),
    "provisional": gettext_lazy("คะแนนชั่วคราว"),
    "pending": gettext_lazy("ยังไม่มีคะแนน"),
}


class ScoredSubject(Protocol):
    """What scoring reads of an indicator (an Indicator, or a row of
    selectors/scorecard.py)."""

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


def counts(final: int, provisional: int, pending: int) -> list[tuple[str, str, int]]:
    """(key, label, number) of each kind, as the card and the ranking show them."""
    return [(key, str(COUNT_LABELS[key]), n)
            for key, n in (("final", final), ("provisional", provisional), ("pending", pending))]


@dataclass
class Scorecard:
    agency: Any
    scheme: str
    rows: list[IndicatorScore]
    total: Decimal | None
    weight_sum: Decimal
    pending_count: int
    final: bool
    warnings: list[str] = field(default_factory=list)

    @property
    def indicator_count(self) -> int:
        return len(self.rows)

    @property
    def scored_count(self) -> int:
        return len(self.rows) - self.pending_count

    @property
    def final_count(self) -> int:
        """Evaluated: quarter 4 scored by the evaluator, and counted."""
        return sum(1 for row in self.rows if row.final and not row.pending)

    @property
    def provisional_count(self) -> int:
        return sum(1 for row in self.rows if not row.final and not row.pending)

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return counts(self.final_count, self.provisional_count, self.pending_count)


def build_scorecard(agency: Any, rows: Sequence[IndicatorScore], scheme: str) -> Scorecard:
    """The agency's card from its indicators' scores: the weighted total of
    those with a score, each one's share of it, and what the card warns of."""
    rows = list(rows)
    total = rules.weighted_total([(row.weight, row.score) for row in rows])
    scored_weight = sum((row.weight for row in rows if row.score is not None), Decimal(0))
    for row in rows:
        if row.score is not None and scored_weight > 0:
            row.contribution = (row.weight * row.score / scored_weight).quantize(rules.LEVEL_PLACES)
    weight_sum = sum((row.weight for row in rows), Decimal(0))
    pending = sum(1 for row in rows if row.pending)
    card = Scorecard(
        agency=agency, scheme=scheme, rows=rows, total=total, weight_sum=weight_sum, pending_count=pending,
        final=bool(rows) and all(row.final and row.score is not None for row in rows),
    )
    card.warnings = warnings_for(card)
    return card


def warnings_for(card: Scorecard) -> list[str]:
    warnings = []
    if card.rows and card.weight_sum != HUNDRED:
        warnings.append(_("น้ำหนักของตัวชี้วัดรวมกันได้ %(sum)s ไม่เท่ากับ 100") % {"sum": formats.weight(card.weight_sum)})
    missing = [row.indicator.code for row in card.rows if not row.has_criteria]
    if missing:
        warnings.append(_("ตัวชี้วัดที่ยังไม่มีเกณฑ์การให้คะแนน 5 ระดับ (%(n)s): %(codes)s") % {
            "n": len(missing), "codes": ", ".join(missing)})
    if card.pending_count:
        warnings.append(_("ตัวชี้วัดที่ยังไม่มีคะแนน %(n)s ตัว ไม่นำมาคิดในคะแนนรวม (ไม่นับเป็น 0)") % {
            "n": card.pending_count})
    return warnings


def scorecards(agencies: Iterable[Any], scores: Iterable[IndicatorScore], scheme: str) -> list[Scorecard]:
    """A card per agency from its indicators' scores (agencies with no
    indicator in the year get none)."""
    by_agency = _by_owner(scores)
    return [build_scorecard(agency, by_agency[agency.id], scheme) for agency in agencies if agency.id in by_agency]


def _by_owner(scores: Iterable[IndicatorScore]) -> dict[int, list[IndicatorScore]]:
    by_agency: dict[int, list[IndicatorScore]] = {}
    for score in scores:
        by_agency.setdefault(score.indicator.owner_id, []).append(score)
    return by_agency


# --- ranking ------------------------------------------------------------------

@dataclass(frozen=True)
class Summary:
    """What the ranking shows of an agency's card: small enough to cache.
    Its counts are the card's (Summary.of), so both pages say the same."""

    total: Decimal | None
    weight_sum: Decimal
    indicator_count: int
    pending_count: int
    final: bool
    final_count: int = 0

    @property
    def provisional_count(self) -> int:
        return self.indicator_count - self.final_count - self.pending_count

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return counts(self.final_count, self.provisional_count, self.pending_count)

    @classmethod
    def of(cls, card: Scorecard) -> "Summary":
        return cls(card.total, card.weight_sum, card.indicator_count, card.pending_count, card.final,
                   card.final_count)


def summaries(scores: Iterable[IndicatorScore], scheme: str) -> dict[int, Summary]:
    """{agency id: Summary} of every agency with indicators among `scores`."""
    return {owner_id: Summary.of(build_scorecard(None, rows, scheme)) for owner_id, rows in _by_owner(scores).items()}


@dataclass
class Standing:
    rank: int | None
    agency: Any
    summary: Summary
    # Shares its rank with another agency of the same total.
    tied: bool = False


def _by_total(standing: Standing) -> tuple[Any, ...]:
    total = standing.summary.total
    return (total is None, -(total or 0), standing.agency.code)


SORTS: dict[str, Any] = {
    "rank": _by_total,
    "-rank": lambda s: (s.summary.total is None, s.summary.total or 0, s.agency.code),
    "agency": lambda s: (s.agency.code,),
    "pending": lambda s: (-s.summary.pending_count, s.agency.code),
    "-pending": lambda s: (s.summary.pending_count, s.agency.code),
}


def ranking(agencies: Iterable[Any], summaries_by_agency: Mapping[int, Summary], sort: str = "rank") -> list[Standing]:
    """These agencies (those with a summary) by weighted total, highest
    first; equal totals (to their four decimals) share a rank and are
    marked tied (1, 2, 2, 4), listed by agency code; an agency without any
    score has no rank and comes last. `sort` (a key of SORTS) only changes
    the order shown, not the ranks."""
    standings = [Standing(None, agency, summaries_by_agency[agency.id]) for agency in agencies
                 if agency.id in summaries_by_agency]
    previous: Decimal | None = None
    rank = 0
    sharing: dict[int, list[Standing]] = {}
    for position, standing in enumerate(sorted(standings, key=_by_total), start=1):
        total = standing.summary.total
        if total is None:
            continue
        if total != previous:
            rank, previous = position, total
        standing.rank = rank
        sharing.setdefault(rank, []).append(standing)
    for same in sharing.values():
        for standing in same:
            standing.tied = len(same) > 1
    return sorted(standings, key=SORTS.get(sort, _by_total))
