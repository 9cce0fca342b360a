"""The indicator sheet: everything the detail page (and the printed sheet)
shows. with_sheet_relations loads an indicator with its related rows up
front (a fixed number of queries for one indicator or a book of hundreds);
build_sheet computes the sheet from it with no queries. Its quarters are
indicators/quarter_rows.py's, as on every other page."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet

from indicators import rules, scoring
from indicators.models import QUARTERS, Indicator, StrategyNode
from indicators.quarter_rows import STATUS_LABELS, QuarterRow, quarter_rows

from .models import Evidence, Narrative


def with_sheet_relations(queryset: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
    """Indicators with everything their sheets show loaded up front: a fixed
    number of queries for one indicator or a book of hundreds."""
    if queryset is None:
        queryset = Indicator.objects.all()
    return queryset.select_related("fiscal_year", "owner").prefetch_related(
        "quarter_results",
        Prefetch("narratives", queryset=Narrative.objects.select_related("district_group")),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(removed_at__isnull=True).order_by("quarter", "uploaded_at", "id"),
            to_attr="active_evidence",
        ),
        # The evidence checklist of each quarter (checklist.quarter_checklist).
        "data_source_items",
        "checklist_waivers",
        Prefetch(
            "strategy_nodes",
            queryset=StrategyNode.objects.select_related("parent__parent__parent").order_by("code"),
        ),
    )


@dataclass
class NarrativePart:
    group_name: str | None
    text: str


@dataclass
class QuarterNarrative:
    number: int
    general: str = ""
    parts: list = field(default_factory=list)


@dataclass
class Sheet:
    indicator: object
    quarters: list[QuarterRow]
    narratives: list
    strategy_chains: list
    achieved: Decimal | None
    final_score: Decimal | None
    status: str
    # Its figures as a scorecard counts them: the five-level score beside
    # the percent scores when the indicator has criteria (indicators/scoring.py).
    scored: scoring.IndicatorScore | None = None

    @property
    def status_label(self) -> object:
        return STATUS_LABELS[self.status]


def build_sheet(indicator: Indicator) -> Sheet:
    results = {r.quarter: r for r in indicator.quarter_results.all()}
    # Annotated by the detail view (models.reporting_quarter); absent: all due.
    rows = quarter_rows(indicator, results, current_quarter=getattr(indicator, "reporting_quarter", None))

    narratives = {n: QuarterNarrative(number=n) for n in QUARTERS}
    for narrative in indicator.narratives.all():
        entry = narratives[narrative.quarter]
        if narrative.district_group_id is None:
            entry.general = narrative.text
        elif narrative.text and narrative.district_group is not None:
            entry.parts.append(NarrativePart(group_name=narrative.district_group.name, text=narrative.text))

    achieved = rules.achieved_value([row.value for row in rows], indicator.aggregation)
    final = rows[-1].score_confirmed
    status = rules.year_status(achieved, indicator.annual_target, indicator.direction, final is not None)
    return Sheet(
        indicator=indicator,
        quarters=rows,
        narratives=[narratives[n] for n in QUARTERS],
        strategy_chains=[node.chain() for node in indicator.strategy_nodes.all()],
        achieved=achieved,
        final_score=final,
        status=status,
        scored=scoring.score_from_results(indicator, results, indicator.fiscal_year.scoring_scheme,
                                             indicator.fiscal_year.below_level_one_score),
    )
