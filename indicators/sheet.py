"""The indicator sheet: everything the detail page (and the printed sheet)
shows, computed once from an indicator whose related rows are prefetched
(selectors.with_sheet_relations). No queries happen here."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from . import rules, scoring
from .models import QUARTERS, QuarterResult, quarter_is_due


@dataclass
class QuarterRow:
    number: int
    target: Decimal | None
    value: Decimal | None
    # The indicator's aggregation over quarters 1..n: what the quarter is judged by.
    value_to_date: Decimal | None
    status: str
    status_label: str
    score_self: Decimal | None
    score_confirmed: Decimal | None
    computed_achievement: Decimal | None
    # "ผลรวมถึงไตรมาสนี้" / "ค่าเฉลี่ยถึงไตรมาสนี้" when the value to date is not
    # simply the quarter's own value (sum and average indicators), else "".
    to_date_label: str = ""
    # Its reporting window has opened (models.quarter_is_due): a quarter not
    # yet due shows "-", not "รอการประเมิน".
    due: bool = True

    @property
    def evaluated(self):
        return self.score_self is not None

    @property
    def achievement(self):
        """Shown in the table only once the quarter has been evaluated; until
        then the page says "รอการประเมิน" (the old site printed 0.0000)."""
        return self.computed_achievement if self.evaluated else None


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
    quarters: list
    narratives: list
    strategy_chains: list
    achieved: Decimal | None
    final_score: Decimal | None
    status: str
    # Its figures as a scorecard counts them: the five-level score beside
    # the percent scores when the indicator has criteria (scoring.py).
    scored: scoring.IndicatorScore | None = None

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


TO_DATE_LABELS = {
    rules.SUM: _("ผลรวมถึงไตรมาสนี้"),
    rules.AVERAGE: _("ค่าเฉลี่ยถึงไตรมาสนี้"),
}

STATUS_LABELS = {
    rules.MET: _("บรรลุเป้าหมาย"),
    rules.NOT_MET: _("ไม่บรรลุเป้าหมาย"),
    rules.PENDING: _("รอการประเมิน"),
}


def quarter_rows(indicator, results, status_labels=None, current_quarter=None) -> list[QuarterRow]:
    """The four quarters as the sheet shows them, from already loaded results
    ({quarter number: QuarterResult}): no queries. Shared by the sheet, the
    cross-indicator table and the public page (public.py's masked results,
    with their own `status_labels`) so all apply the same rules. Each
    quarter is judged by its value to date (rules.quarter_achievement).
    `current_quarter`: the year's reporting_quarter, when known."""
    if status_labels is None:
        status_labels = dict(QuarterResult.Status.choices)
    values = [getattr(results.get(number), "value", None) for number in QUARTERS]
    rows = []
    for number in QUARTERS:
        result = results.get(number)
        target = rules.applicable_target(indicator.annual_target, result.target if result else None)
        to_date = rules.value_to_date(values, number, indicator.aggregation)
        status = result.status if result else QuarterResult.Status.NOT_STARTED
        rows.append(
            QuarterRow(
                number=number,
                target=target,
                value=values[number - 1],
                value_to_date=to_date,
                status=status,
                status_label=status_labels[status],
                score_self=result.score_self if result else None,
                score_confirmed=result.score_confirmed if result else None,
                computed_achievement=rules.achievement_percent(to_date, target, indicator.direction),
                to_date_label=TO_DATE_LABELS.get(indicator.aggregation, "") if to_date is not None else "",
                due=quarter_is_due(number, current_quarter),
            )
        )
    return rows


def build_sheet(indicator):
    results = {r.quarter: r for r in indicator.quarter_results.all()}
    # Annotated by the detail view (models.reporting_quarter); absent: all due.
    rows = quarter_rows(indicator, results, current_quarter=getattr(indicator, "reporting_quarter", None))

    narratives = {n: QuarterNarrative(number=n) for n in QUARTERS}
    for narrative in indicator.narratives.all():
        entry = narratives[narrative.quarter]
        if narrative.district_group_id is None:
            entry.general = narrative.text
        elif narrative.text:
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
