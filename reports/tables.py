"""The quarterly achievement table across indicators: rows grouped by strategy
dimension or by agency, each quarter's target, result, achievement % and
scores 2.1 / 2.2, and per group how many met their target.

Fixed queries whatever the size, each reading a page or a group count, not
the year: the count and the page of the ordered rows, the page's indicators
and their quarter results, the counts of the page's groups (from the stored
statuses, stored_status.py) and the group titles. Rows' statuses are
computed with rules.py."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q
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
    """Every (group sort, code, group key, indicator id) in table order, as a
    query the paginator counts and cuts in the database (OFFSET/LIMIT), so
    a page never brings the year to Python. An indicator that supports
    several dimensions appears under each; one without any under None,
    last. Duplicates (two objectives in one dimension) are dropped by
    DISTINCT."""
    return (
        _keyed(queryset, group_by)
        .order_by(F("group_sort").asc(nulls_last=True), F("group_key").asc(nulls_last=True), "code", "pk")
        .values_list("group_sort", "code", "group_key", "pk").distinct()
    )


def group_counts(queryset, group_by, keys=None):
    """{group key: (indicators, {quarter: how many met their target})} for
    the groups `keys` (None: all) of the filtered queryset, counted by the
    database from the stored statuses (stored_status.py): one grouped query,
    one row per group. Whole groups, so a group's header is right on every
    page."""
    keyed = _keyed(queryset.order_by(), group_by)
    if keys is not None:
        known = [key for key in keys if key is not None]
        chosen = Q(group_key__in=known)
        if None in keys:
            chosen |= Q(group_key__isnull=True)
        keyed = keyed.filter(chosen)
    met = {
        f"met{q}": Count("pk", filter=Q(**{f"status_q{q}": rules.MET}), distinct=True) for q in QUARTERS
    }
    rows = keyed.values("group_key").annotate(total=Count("pk", distinct=True), **met).order_by()
    return {
        row["group_key"]: (row["total"], {q: row[f"met{q}"] for q in QUARTERS})
        for row in rows
    }


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
    """Groups for one page (page: a Paginator page of ordered_rows): the
    page's indicators and their results, and their groups' counts."""
    pairs = [(key, pk) for _sort, _code, key, pk in page.object_list]
    keys = {key for key, _pk in pairs}
    indicators = {indicator.pk: indicator for indicator in queryset.filter(pk__in=[pk for _, pk in pairs]).order_by()}
    results = selectors_browse.results_by_indicator(list(indicators.values()))
    counts = group_counts(queryset, group_by, keys)
    titles = group_titles(group_by, keys)
    return build_groups(pairs, indicators, results, counts, titles)


def whole_table(queryset, group_by):
    """Every group and row of the filtered set (for exports): the queryset is
    used as a subquery, never as a list of ids."""
    pairs = [(key, pk) for _sort, _code, key, pk in ordered_rows(queryset, group_by)]
    indicators = {indicator.pk: indicator for indicator in queryset.order_by()}
    results = selectors_browse.results_by_indicator(queryset)
    counts = group_counts(queryset, group_by)
    titles = group_titles(group_by, counts.keys())
    return build_groups(pairs, indicators, results, counts, titles)
