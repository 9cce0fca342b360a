"""The quarterly achievement table across indicators: rows grouped by strategy
dimension or by agency, each quarter's target, result, achievement % and
scores 2.1 / 2.2, and per group how many met their target.

Fixed queries whatever the size: the ordered (group, indicator) pairs, the
indicators, their quarter results, the group counts and the group titles."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy as _

from indicators import rules, selectors_browse
from indicators.models import QUARTERS, Agency, QuarterResult, StrategyNode
from indicators.sheet import QuarterRow

BY_DIMENSION = "dimension"
BY_AGENCY = "agency"
GROUPINGS = [(BY_DIMENSION, _("ด้านยุทธศาสตร์")), (BY_AGENCY, _("หน่วยงาน"))]


@dataclass
class TableRow:
    indicator: object
    quarters: list
    achieved: object
    status: str

    @property
    def status_label(self):
        return selectors_browse.STATUS_LABELS[self.status]


@dataclass
class Group:
    key: object
    title: str
    total: int = 0
    met: dict = field(default_factory=dict)  # quarter -> indicators met at it (4 = the year)
    rows: list = field(default_factory=list)

    @property
    def met_year(self):
        return self.met.get(4, 0)


STATUS_LABELS = dict(QuarterResult.Status.choices)


def quarter_rows(indicator, results):
    """The four quarters as the indicator's sheet shows them (sheet.QuarterRow),
    from already loaded results: no queries."""
    rows = []
    for number in QUARTERS:
        result = results.get(number)
        target = rules.applicable_target(indicator.annual_target, result.target if result else None)
        value = result.value if result else None
        status = result.status if result else QuarterResult.Status.NOT_STARTED
        rows.append(QuarterRow(
            number=number,
            target=target,
            value=value,
            status=status,
            status_label=STATUS_LABELS[status],
            score_self=result.score_self if result else None,
            score_confirmed=result.score_confirmed if result else None,
            computed_achievement=rules.achievement_percent(value, target, indicator.direction),
        ))
    return rows


def table_row(indicator, results):
    quarters = quarter_rows(indicator, results)
    achieved = rules.achieved_value([row.value for row in quarters], indicator.aggregation)
    return TableRow(indicator, quarters, achieved, selectors_browse.status_as_of(indicator, results))


def _keyed(queryset, group_by):
    if group_by == BY_AGENCY:
        return queryset.annotate(group_key=F("owner_id"), group_sort=F("owner__code"))
    queryset = selectors_browse.with_dimension(queryset, "group_key")
    return selectors_browse.with_dimension_code(queryset, "group_sort")


def ordered_pairs(queryset, group_by):
    """(group key, indicator id) in table order. An indicator that supports
    several dimensions appears under each; one without any under None."""
    pairs = _keyed(queryset, group_by).values_list("group_key", "pk")
    if group_by == BY_DIMENSION:
        pairs = pairs.distinct()
    return pairs.order_by(F("group_sort").asc(nulls_last=True), "group_key", "code", "pk")


def group_counts(queryset, group_by):
    """{group key: (indicators, {quarter: met})} for the whole filtered set,
    so a group's header is right even when the group spans pages."""
    keyed = selectors_browse.annotate_statuses(_keyed(queryset, group_by), {q: f"status_q{q}" for q in QUARTERS})
    counts = keyed.order_by().values("group_key").annotate(
        total=Count("pk", distinct=True),
        **{
            f"met_q{q}": Count("pk", filter=Q(**{f"status_q{q}": rules.MET}), distinct=True)
            for q in QUARTERS
        },
    )
    return {
        row["group_key"]: (row["total"], {q: row[f"met_q{q}"] for q in QUARTERS})
        for row in counts
    }


def group_titles(group_by, keys):
    keys = [key for key in keys if key is not None]
    if group_by == BY_AGENCY:
        return {a.pk: f"{a.code} {a.name}" for a in Agency.objects.filter(pk__in=keys)}
    return {
        n.pk: f"{n.get_level_display()}ที่ {n.code} {n.title}" for n in StrategyNode.objects.filter(pk__in=keys)
    }


NO_DIMENSION = _("ไม่ระบุด้านยุทธศาสตร์")


def build_groups(pairs, indicators, results, counts, titles):
    groups = []
    for key, pk in pairs:
        if not groups or groups[-1].key != key:
            total, met = counts.get(key, (0, {}))
            title = titles.get(key) or str(NO_DIMENSION)
            groups.append(Group(key=key, title=title, total=total, met=met))
        indicator = indicators[pk]
        groups[-1].rows.append(table_row(indicator, results.get(pk, {})))
    return groups


def table_page(queryset, group_by, page):
    """Groups for one page of pairs (page: a Paginator page of ordered_pairs)."""
    pairs = list(page.object_list)
    ids = [pk for _, pk in pairs]
    indicators = {indicator.pk: indicator for indicator in queryset.filter(pk__in=ids).order_by()}
    results = selectors_browse.results_by_indicator(list(indicators.values()))
    counts = group_counts(queryset, group_by)
    titles = group_titles(group_by, counts.keys())
    return build_groups(pairs, indicators, results, counts, titles)


def whole_table(queryset, group_by):
    """Every group and row of the filtered set (for exports): the queryset is
    used as a subquery, never as a list of ids."""
    pairs = list(ordered_pairs(queryset, group_by))
    indicators = {indicator.pk: indicator for indicator in queryset.order_by()}
    results = selectors_browse.results_by_indicator(queryset)
    counts = group_counts(queryset, group_by)
    titles = group_titles(group_by, counts.keys())
    return build_groups(pairs, indicators, results, counts, titles)
