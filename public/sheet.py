"""The public indicator page's sheet: reports/sheet.Sheet as the public
sees it, built from published quarters only (indicators/public.py's rule)."""

from dataclasses import dataclass, field

from indicators import scoring
from indicators.models import FINAL_QUARTER, QUARTERS, Indicator
from indicators.public import STATUS_LABELS, achieved_to_date, public_results, status_at
from indicators.quarter_rows import quarter_rows
from reports import sheet


@dataclass
class PublicSheet(sheet.Sheet):
    """sheet.Sheet as the public sees it: rows, chart, narratives and status
    from published quarters only; the value achieved as of `achieved_quarter`."""

    achieved_quarter: int | None = None
    # The indicator's summary of the year's work, shown once quarter 4 is
    # published: until then it may speak of results not yet accepted.
    operations_summary: str = ""
    published: frozenset[int] = field(default_factory=frozenset)


def build_public_sheet(indicator: Indicator) -> PublicSheet:
    """From an indicator loaded by selectors.with_public_sheet_relations
    (its quarters, narratives and strategy nodes prefetched): no queries."""
    rows_by_quarter = {r.quarter: r for r in indicator.quarter_results.all()}
    masked = public_results(indicator.aggregation, rows_by_quarter)
    published = frozenset(number for number, result in masked.items() if result.accepted)
    narratives = {n: sheet.QuarterNarrative(number=n) for n in QUARTERS}
    for narrative in indicator.narratives.all():
        if narrative.quarter not in published:
            continue
        entry = narratives[narrative.quarter]
        if narrative.district_group_id is None:
            entry.general = narrative.text
        elif narrative.text and narrative.district_group is not None:
            entry.parts.append(sheet.NarrativePart(group_name=narrative.district_group.name, text=narrative.text))
    achieved, as_of = achieved_to_date(indicator.aggregation, masked)
    fiscal_year = indicator.fiscal_year
    return PublicSheet(
        indicator=indicator,
        quarters=quarter_rows(indicator, masked, STATUS_LABELS),
        narratives=[narratives[n] for n in QUARTERS],
        strategy_chains=[node.chain() for node in indicator.strategy_nodes.all()],
        achieved=achieved,
        final_score=masked[FINAL_QUARTER].score_confirmed,
        status=status_at(indicator, masked),
        scored=scoring.score_from_results(indicator, masked, fiscal_year.scoring_scheme,
                                             fiscal_year.below_level_one_score),
        achieved_quarter=as_of,
        operations_summary=indicator.operations_summary if FINAL_QUARTER in published else "",
        published=published,
    )
