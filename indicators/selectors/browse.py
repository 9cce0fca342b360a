"""Reads for the views that span many indicators (list, quarterly table,
dashboard, exports). Each runs a fixed number of queries whatever the number
of indicators: rows come in one query, their quarter results in one more.

The status shown for a row is computed in Python with rules.py (one
definition of each rule). Filtering and counting by status happen in the
database on the statuses stored from the same rules (stored_status.py:
Indicator.status_q1..q4, and public_status_q1..q4 as the public sees them),
read through Indicator.objects.with_status."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.db.models import Case, CharField, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import quarter_rows, rules
from ..models import FINAL_QUARTER, QUARTERS, STATUS_NOT_REPORTED, FiscalYear, Indicator, QuarterResult, StrategyNode
from ..permissions import AnyUser, visible_indicators

NOT_REPORTED = STATUS_NOT_REPORTED
STATUSES = (rules.MET, rules.NOT_MET, rules.PENDING, NOT_REPORTED)
STATUS_LABELS = {**quarter_rows.STATUS_LABELS, NOT_REPORTED: _("ยังไม่รายงาน")}
STATUS_CHOICES = [(status, STATUS_LABELS[status]) for status in STATUSES]

# --- the status rule, in Python -------------------------------------------

class RuleSubject(Protocol):
    """What the status rule reads of an indicator (an Indicator or RuleFields)."""

    annual_target: Decimal | None
    aggregation: str
    direction: str


def status_as_of(indicator: RuleSubject, results_by_quarter: Mapping[int, Any], quarter: int = FINAL_QUARTER) -> str:
    """Where an indicator stands at a quarter. Quarter 4 is the year's status
    (rules.year_status); quarters 1-3 are that quarter's own evaluation: its
    value to date (rules.value_to_date) against the quarter's applicable
    target, pending until the quarter is confirmed. NOT_REPORTED when there
    is no result to judge."""
    values = [getattr(results_by_quarter.get(q), "value", None) for q in QUARTERS]
    if quarter == FINAL_QUARTER:
        achieved = rules.achieved_value(values, indicator.aggregation)
        if achieved is None:
            return NOT_REPORTED
        final = results_by_quarter.get(FINAL_QUARTER)
        evaluated = final is not None and final.score_confirmed is not None
        return rules.year_status(achieved, indicator.annual_target, indicator.direction, evaluated)
    to_date = rules.value_to_date(values, quarter, indicator.aggregation)
    if to_date is None:
        return NOT_REPORTED
    result = results_by_quarter[quarter]
    target = rules.applicable_target(indicator.annual_target, result.target)
    return rules.year_status(to_date, target, indicator.direction, result.score_confirmed is not None)


# --- strategy dimension of an indicator -------------------------------------

Tree = dict[int, tuple[int | None, str]]


def _dimension_of(value: str, tree: Tree | None = None) -> Case:
    """The top-level node above each supported node (whatever its level), as
    its id (`value` "id") or code: one row per supported node, so callers
    count distinct indicators. Which nodes lie under which dimension comes
    from the plan table (a few hundred rows, one query), so the SQL is a
    CASE on the link table's node id rather than four joins of the node
    table over every link of the year."""
    tree = StrategyNode.tree() if tree is None else tree
    whens = [
        When(strategy_nodes__in=nodes, then=Value(top if value == "id" else tree[top][1]))
        for top, nodes in sorted(StrategyNode.dimensions(tree).items())
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField() if value == "id" else CharField())


def with_dimension(queryset: QuerySet[Indicator], name: str = "dimension_id",
                   code: str | None = None, tree: Tree | None = None) -> QuerySet[Indicator]:
    """Annotated with the dimension's id as `name` (and its code as `code`);
    `tree`: StrategyNode.tree() when the caller has read it already."""
    tree = StrategyNode.tree() if tree is None else tree
    annotations = {name: _dimension_of("id", tree)}
    if code is not None:
        annotations[code] = _dimension_of("code", tree)
    return queryset.annotate(**annotations)


# --- querysets and loading ------------------------------------------------

# What the sheet shows but no list does; not loaded for thousands of rows.
LONG_TEXTS = ("definition", "calculation_method", "data_sources", "operations_summary", "supporting_projects")


def visible(user: AnyUser) -> QuerySet[Indicator]:
    """Every indicator this user may see (permissions.visible_indicators),
    with what a row shows loaded alongside."""
    return visible_indicators(
        user, Indicator.objects.select_related("fiscal_year", "owner", "owner__district_group").defer(*LONG_TEXTS),
    )


def fiscal_years() -> list[FiscalYear]:
    """Every fiscal year, latest first, each with the quarter its pages open
    at (`reporting_quarter`, models.reporting_quarter), in one query."""
    return list(FiscalYear.objects.with_reporting_quarter(timezone.localdate()).order_by("-year"))


@dataclass(slots=True)
class QuarterFigures:
    """A quarter's figures as plain values, the part of a QuarterResult that
    lists, exports and the public read: cheaper than model instances when
    there are tens of thousands. The public's are masked
    (public.public_results): the milestone target always, the result and
    scores only when published, `status` then public.PUBLISHED or
    public.PENDING. Rules and rows read it like a QuarterResult."""

    quarter: int
    target: Decimal | None
    value: Decimal | None
    score_self: Decimal | None
    score_confirmed: Decimal | None
    status: str

    @property
    def accepted(self) -> bool:
        """Accepted by the evaluator; on masked figures: published."""
        return self.status == QuarterResult.Status.ACCEPTED


RESULT_FIELDS = ("quarter", "target", "value", "score_self", "score_confirmed", "status")


def results_by_indicator(indicators: QuerySet[Indicator] | Iterable[Indicator]) -> dict[int, dict[int, QuarterFigures]]:
    """{indicator id: {quarter: QuarterFigures}} for a queryset (one query, the
    queryset used as a subquery so thousands of ids are never sent as
    parameters) or for a list of loaded indicators."""
    ids: Any  # a subquery of ids, or a list of them
    if isinstance(indicators, QuerySet):
        ids = indicators.order_by().values("pk")
    else:
        ids = [indicator.pk for indicator in indicators]
    mapping: dict[int, dict[int, QuarterFigures]] = {}
    rows = QuarterResult.objects.filter(indicator_id__in=ids).order_by().values_list("indicator_id", *RESULT_FIELDS)
    for indicator_id, *values in rows:
        result = QuarterFigures(*values)
        mapping.setdefault(indicator_id, {})[result.quarter] = result
    return mapping


@dataclass(slots=True)
class RuleFields:
    """What the status rule reads of an indicator."""

    annual_target: Decimal
    aggregation: str
    direction: str


def results_with_rule_fields(ids: Iterable[int]) -> tuple[dict[int, RuleFields], dict[int, dict[int, QuarterFigures]]]:
    """({indicator id: RuleFields}, {indicator id: {quarter: QuarterFigures}}) in one
    query, for counting statuses of many indicators without loading them.
    An indicator with no result rows is in neither: it has reported nothing."""
    fields: dict[int, RuleFields] = {}
    results: dict[int, dict[int, QuarterFigures]] = {}
    rows = (
        QuarterResult.objects.filter(indicator_id__in=ids).order_by()
        .values_list("indicator_id", "indicator__annual_target", "indicator__aggregation",
                     "indicator__direction", *RESULT_FIELDS)
    )
    for indicator_id, target, aggregation, direction, *values in rows:
        if indicator_id not in fields:
            fields[indicator_id] = RuleFields(target, aggregation, direction)
        result = QuarterFigures(*values)
        results.setdefault(indicator_id, {})[result.quarter] = result
    return fields, results


# --- rows of the list -----------------------------------------------------

class ListRow:
    """An indicator as the list shows it: its achieved value so far and its
    status at the chosen quarter, computed by rules.py."""

    def __init__(self, indicator: Indicator, results: Mapping[int, Any], quarter: int = FINAL_QUARTER):
        self.indicator = indicator
        self.results = results
        values = [getattr(results.get(q), "value", None) for q in QUARTERS]
        self.achieved = rules.achieved_value(values, indicator.aggregation)
        # The achieved value against the annual target, as stored for sorting.
        self.achievement = rules.achievement_percent(self.achieved, indicator.annual_target, indicator.direction)
        self.status = status_as_of(indicator, results, quarter)

    @property
    def status_label(self) -> object:
        return STATUS_LABELS[self.status]


def list_rows(indicators: QuerySet[Indicator] | list[Indicator], quarter: int = FINAL_QUARTER) -> list[ListRow]:
    """Rows for a page (a list or sliced queryset) or for a whole filtered
    queryset (exports): either way two queries."""
    whole_queryset = hasattr(indicators, "query") and not indicators.query.is_sliced
    results = results_by_indicator(indicators if whole_queryset else list(indicators))
    indicators = list(indicators)
    return [ListRow(indicator, results.get(indicator.pk, {}), quarter) for indicator in indicators]
