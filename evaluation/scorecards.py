"""Agency scorecards and the ranking of agencies: each indicator's score
under the fiscal year's scheme (indicators/scoring.py), weighted within its
agency (Σ weight × score / Σ weight). Plain computations on rows already
loaded (selectors/scorecard.py loads them in a fixed number of queries); the
rules themselves are indicators/rules.py's.

What counts for an indicator is indicators/scoring.py's (README,
"Scorecards"); a pending indicator is left out of the total, never counted
as 0, and counted on the card and in the ranking.
An agency's total is final when every indicator of it is final; the card
and the ranking count its indicators in three disjoint kinds (COUNT_LABELS):
evaluated (final, with a score), provisional (a score, not final) and
without a score (pending)."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from indicators import formats, rules
from indicators.scoring import IndicatorScore
from projects.figures import ProjectFigures

HUNDRED = Decimal(100)

# The words the scorecard and the ranking both count an agency's indicators
# in (Scorecard.final_count, provisional_count, pending_count).
COUNT_LABELS = {
    "indicators": pgettext_lazy("number of indicators", "ตัวชี้วัด"),
    "final": gettext_lazy("ประเมินแล้ว"),
    "provisional": gettext_lazy("คะแนนชั่วคราว"),
    "pending": gettext_lazy("ยังไม่มีคะแนน"),
}


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
    # The agency's projects of the year (projects/figures.py), beside its
    # indicators; not part of the score. None where not loaded (the ranking).
    projects: ProjectFigures | None = None

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
