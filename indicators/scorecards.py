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
An agency's total is final when every indicator of it is final."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from django.utils.translation import gettext as _

from . import rules

HUNDRED = Decimal(100)
FINAL_QUARTER = 4


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
    def annual_target(self) -> Decimal: ...
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

    @property
    def pending(self) -> bool:
        return self.score is None


def score_indicator(indicator: ScoredSubject, results: Mapping[int, Any], scheme: str,
                    below_level_one: int = 0) -> IndicatorScore:
    """One indicator's figures from its results ({quarter: row with target,
    value, score_self, score_confirmed})."""
    values = [getattr(results.get(q), "value", None) for q in range(1, FINAL_QUARTER + 1)]
    reported = [q for q in range(1, FINAL_QUARTER + 1) if values[q - 1] is not None]
    final_row = results.get(FINAL_QUARTER)
    confirmed = getattr(final_row, "score_confirmed", None)
    final = confirmed is not None and values[FINAL_QUARTER - 1] is not None
    quarter = FINAL_QUARTER if final else (reported[-1] if reported else None)
    to_date = score_self = None
    if quarter is not None:
        target = rules.applicable_target(indicator.annual_target, getattr(results.get(quarter), "target", None))
        to_date = rules.value_to_date(values, quarter, indicator.aggregation)
        score_self = rules.suggested_score(values, quarter, indicator.aggregation, target, indicator.direction)
        if final and final_row is not None and final_row.score_self is not None:
            score_self = final_row.score_self  # as the evaluator saw it suggested
    criteria = indicator.criteria
    has_criteria = all(t is not None for t in criteria)
    level = rules.five_level_score(to_date, criteria, indicator.direction, below_level_one) if has_criteria else None
    if scheme == rules.FIVE_LEVEL_SCHEME:
        score = level
    else:
        score = confirmed if final else score_self
    return IndicatorScore(
        indicator=indicator, weight=indicator.weight or Decimal(0), as_of_quarter=quarter, value_to_date=to_date,
        score_self=score_self, score_confirmed=confirmed, level=level, has_criteria=has_criteria,
        final=final, score=score,
    )


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
        return sum(1 for row in self.rows if row.final)


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
        warnings.append(_("น้ำหนักของตัวชี้วัดรวมกันได้ %(sum)s ไม่เท่ากับ 100") % {"sum": f"{card.weight_sum:,.2f}"})
    missing = [row.indicator.code for row in card.rows if not row.has_criteria]
    if missing:
        warnings.append(_("ตัวชี้วัดที่ยังไม่มีเกณฑ์การให้คะแนน 5 ระดับ (%(n)s): %(codes)s") % {
            "n": len(missing), "codes": ", ".join(missing)})
    if card.pending_count:
        warnings.append(_("ตัวชี้วัดที่ยังไม่มีคะแนน %(n)s ตัว ไม่นำมาคิดในคะแนนรวม (ไม่นับเป็น 0)") % {
            "n": card.pending_count})
    return warnings


def scorecards(agencies: Iterable[Any], indicators: Iterable[ScoredSubject], results: Mapping[int, Mapping[int, Any]],
               scheme: str, below_level_one: int = 0) -> list[Scorecard]:
    """A card per agency (agencies with no indicator in the year get none)."""
    by_agency: dict[int, list[IndicatorScore]] = {}
    for indicator in indicators:
        score = score_indicator(indicator, results.get(indicator.id, {}), scheme, below_level_one)
        by_agency.setdefault(indicator.owner_id, []).append(score)
    return [build_scorecard(agency, by_agency[agency.id], scheme) for agency in agencies if agency.id in by_agency]


# --- ranking ------------------------------------------------------------------

SORTS = {
    "rank": lambda card: (card.total is None, -(card.total or 0), card.agency.code),
    "agency": lambda card: (card.agency.code,),
    "pending": lambda card: (-card.pending_count, card.agency.code),
    "-pending": lambda card: (card.pending_count, card.agency.code),
    "-rank": lambda card: (card.total is None, card.total or 0, card.agency.code),
}


@dataclass
class Standing:
    rank: int | None
    card: Scorecard


def ranking(cards: Sequence[Scorecard], sort: str = "rank") -> list[Standing]:
    """Agencies by weighted total, highest first; equal totals share a rank
    (1, 2, 2, 4); an agency without any score has no rank and comes last.
    `sort` (a key of SORTS) only changes the order shown, not the ranks."""
    ranked = sorted(cards, key=SORTS["rank"])
    ranks: dict[int, int | None] = {}
    previous: Decimal | None = None
    rank = 0
    for position, card in enumerate(ranked, start=1):
        if card.total is None:
            ranks[id(card)] = None
            continue
        if card.total != previous:
            rank, previous = position, card.total
        ranks[id(card)] = rank
    ordered = sorted(cards, key=SORTS.get(sort, SORTS["rank"]))
    return [Standing(ranks[id(card)], card) for card in ordered]
