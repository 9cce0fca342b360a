"""The quarterly achievement table across indicators: rows grouped by strategy
dimension or by agency, each quarter's target, result, achievement % and
scores 2.1 / 2.2, and per group how many met their target.

Fixed queries whatever the size, each reading a page or a group count, not
the year: the count and the page of the ordered rows, the page's indicators
and their quarter results, the counts of the page's groups and the group
titles. The count and the group counts come from the status counts
(status_counts.py) when the filters are ones they are kept by, else from
the stored statuses (stored_status.py). Rows' statuses are
computed with rules.py."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from indicators import rules, status_counts
from indicators.models import QUARTERS, Agency, Indicator, StrategyNode
from indicators.quarter_rows import quarter_rows
from indicators.selectors import browse as selectors_browse

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


def _keyed(queryset, group_by, tree=None):
    if group_by == BY_AGENCY:
        return queryset.annotate(group_key=F("owner_id"), group_sort=F("owner__code"))
    return selectors_browse.with_dimension(queryset, "group_key", code="group_sort", tree=tree)


def ordered_rows(queryset, group_by, tree=None):
    """Every (group sort, code, group key, indicator id) in table order, as a
    query the paginator counts and cuts in the database (OFFSET/LIMIT), so
    a page never brings the year to Python. An indicator that supports
    several dimensions appears under each; one without any under None,
    last. Duplicates (two objectives in one dimension) are dropped by
    DISTINCT."""
    return (
        _keyed(queryset, group_by, tree)
        .order_by(F("group_sort").asc(nulls_last=True), F("group_key").asc(nulls_last=True), "code", "pk")
        .values_list("group_sort", "code", "group_key", "pk").distinct()
    )


class GroupedRows:
    """ordered_rows of a queryset whose groups' sizes are known from the
    status counts (status_counts.groups): the paginator's count is their
    sum, and a page reads the rows of the groups it shows only (one
    query), so a page costs what its groups hold, not what the year does."""

    def __init__(self, queryset, group_by, counts, order, tree):
        self.queryset, self.group_by, self.counts, self.tree = queryset, group_by, counts, tree
        self.sizes = [(key, counts[key][0]) for key in order if key in counts]

    def count(self):
        return sum(size for _key, size in self.sizes)

    def __getitem__(self, page):
        start, stop = page.start or 0, page.stop
        shown, position, skip = [], 0, 0
        for key, size in self.sizes:
            if position + size > start and position < stop:
                if not shown:
                    skip = start - position
                shown.append(key)
            position += size
        if not shown:
            return []
        if len(shown) == 1 and shown[0] is not None:
            # Most pages lie in one group: its rows in code order, read from
            # the (year, code) index until the page is full.
            (key,) = shown
            members = self._of_group(key).order_by("code", "pk").values_list("code", "pk")
            return [(None, code, key, pk) for code, pk in members[skip:skip + stop - start]]
        rows = ordered_rows(self._of_groups(shown), self.group_by, self.tree)
        return list(rows[skip:skip + stop - start])

    def _nodes_under(self, keys):
        return [node for key in keys if key is not None for node in StrategyNode.subtree(self.tree, key)]

    def _of_group(self, key):
        if self.group_by == BY_AGENCY:
            return self.queryset.filter(owner_id=key)
        links = Indicator.strategy_nodes.through.objects.filter(
            indicator_id=OuterRef("pk"), strategynode_id__in=self._nodes_under([key]))
        return self.queryset.filter(Exists(links))

    def _of_groups(self, keys):
        if self.group_by == BY_AGENCY:
            return self.queryset.filter(owner_id__in=keys)
        # The links to nodes under these dimensions (and none: no link at
        # all), filtered before the dimension is annotated, so that it is
        # worked out over these links only (one join, reused).
        links = Q(strategy_nodes__in=self._nodes_under(keys))
        if None in keys:
            links |= Q(strategy_nodes__isnull=True)
        return self.queryset.filter(links)


def rows_for(queryset, group_by, counted=None):
    """The table's rows in order: GroupedRows when `counted` (a StatusCount
    queryset counting the same indicators, filters.counted_scope) gives the
    groups' sizes, else ordered_rows, which the paginator counts."""
    if counted is None:
        return ordered_rows(queryset, group_by)
    by_agency = group_by == BY_AGENCY
    counts = status_counts.groups(counted, by_agency=by_agency)
    tree = None
    if by_agency:
        order = list(Agency.objects.filter(pk__in=list(counts)).order_by("code", "pk").values_list("pk", flat=True))
    else:  # by code, as ordered_rows sorts (the plan comes in code order); none last
        tree = StrategyNode.tree()
        order = [pk for pk, (parent_id, _code) in tree.items() if parent_id is None] + [None]
    return GroupedRows(queryset, group_by, counts, order, tree)


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


def table_page(queryset, group_by, page):
    """Groups for one page (page: a Paginator page of rows_for): the page's
    indicators and their results, and their groups' counts (from the status
    counts when rows_for had them)."""
    pairs = [(key, pk) for _sort, _code, key, pk in page.object_list]
    keys = {key for key, _pk in pairs}
    indicators = {indicator.pk: indicator for indicator in queryset.filter(pk__in=[pk for _, pk in pairs]).order_by()}
    results = selectors_browse.results_by_indicator(list(indicators.values()))
    rows = page.paginator.object_list
    counts = rows.counts if isinstance(rows, GroupedRows) else group_counts(queryset, group_by, keys)
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
