"""The quarterly achievement table across indicators: rows grouped by strategy
dimension or by agency, each quarter's target, result, achievement % and
scores 2.1 / 2.2, and per group how many met their target.

Fixed queries whatever the size: the ordered rows, the page's indicators,
the quarter results of the indicators in the page's groups (with what the
status rule reads of them), and the group titles. Statuses are computed
with rules.py."""

from dataclasses import dataclass, field

from django.db.models import F
from django.utils.translation import gettext_lazy as _

from indicators import rules
from indicators.selectors import browse as selectors_browse
from indicators.models import QUARTERS, Agency, StrategyNode
from indicators.sheet import quarter_rows

BY_DIMENSION = "dimension"
BY_AGENCY = "agency"
GROUPINGS = [(BY_DIMENSION, _("ด้านยุทธศาสตร์")), (BY_AGENCY, _("หน่วยงาน"))]


def grouping(value):
    """The grouping asked for, or by strategy dimension."""
    return value if value in dict(GROUPINGS) else BY_DIMENSION


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


def table_row(indicator, results):
    quarters = quarter_rows(indicator, results)
    achieved = rules.achieved_value([row.value for row in quarters], indicator.aggregation)
    return TableRow(indicator, quarters, achieved, selectors_browse.status_as_of(indicator, results))


def _keyed(queryset, group_by):
    if group_by == BY_AGENCY:
        return queryset.annotate(group_key=F("owner_id"), group_sort=F("owner__code"))
    queryset = selectors_browse.with_dimension(queryset, "group_key")
    return selectors_browse.with_dimension_code(queryset, "group_sort")


def ordered_rows(queryset, group_by):
    """Every (group key, indicator id) in table order, from one query: a few
    thousand small tuples for a year, from which the page is cut. An
    indicator that supports several dimensions appears under each; one
    without any under None. Duplicates (two objectives in one dimension) are
    dropped and the rows sorted here: sorting text in the database's
    collation cost more than the rest of the query."""
    fetched = _keyed(queryset, group_by).order_by().values_list("group_sort", "code", "group_key", "pk")
    unique = {(key, pk): (sort, code, key, pk) for sort, code, key, pk in fetched}
    ordered = sorted(unique.values(), key=lambda r: (r[0] is None, r[0] or "", r[2] or 0, r[1], r[3]))
    return [(key, pk) for _sort, _code, key, pk in ordered]


def group_counts(pairs, indicators, results):
    """{group key: (indicators, {quarter: how many met their target})} from
    (group key, indicator id) pairs, with the status of each worked out by
    rules.py (selectors_browse.status_as_of). Pairs of whole groups, so a
    group's header is right on every page."""
    counts = {}
    for key, pk in pairs:
        total, met = counts.setdefault(key, [0, dict.fromkeys(QUARTERS, 0)])
        counts[key][0] = total + 1
        if pk not in results:
            continue  # nothing reported: met at no quarter
        for quarter in QUARTERS:
            if selectors_browse.status_as_of(indicators[pk], results[pk], quarter) == rules.MET:
                met[quarter] += 1
    return {key: tuple(value) for key, value in counts.items()}


def group_titles(group_by, keys):
    keys = [key for key in keys if key is not None]
    if group_by == BY_AGENCY:
        return {a.pk: f"{a.code} {a.name}" for a in Agency.objects.filter(pk__in=keys)}
    return {
        n.pk: str(n) for n in StrategyNode.objects.filter(pk__in=keys)
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


def table_page(queryset, group_by, rows, page):
    """Groups for one page (page: a Paginator page of rows, ordered_rows).
    Statuses are worked out for the indicators of the groups on the page
    (a few hundred at most), not for the whole year."""
    pairs = list(page.object_list)
    keys = {key for key, _pk in pairs}
    in_page_groups = [(key, pk) for key, pk in rows if key in keys]
    group_ids = {pk for _key, pk in in_page_groups}
    indicators = {indicator.pk: indicator for indicator in queryset.filter(pk__in=[pk for _, pk in pairs]).order_by()}
    # Results of every indicator in those groups (the page's among them),
    # with what the status rule reads of each.
    rule_fields, results = selectors_browse.results_with_rule_fields(group_ids)
    counts = group_counts(in_page_groups, rule_fields, results)
    titles = group_titles(group_by, keys)
    return build_groups(pairs, indicators, results, counts, titles)


def whole_table(queryset, group_by):
    """Every group and row of the filtered set (for exports): the queryset is
    used as a subquery, never as a list of ids."""
    pairs = ordered_rows(queryset, group_by)
    indicators = {indicator.pk: indicator for indicator in queryset.order_by()}
    results = selectors_browse.results_by_indicator(queryset)
    counts = group_counts(pairs, indicators, results)
    titles = group_titles(group_by, counts.keys())
    return build_groups(pairs, indicators, results, counts, titles)
