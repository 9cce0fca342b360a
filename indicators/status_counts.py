"""How many indicators have each status, per fiscal year, agency, category
and strategy dimension (models.StatusCount): kept beside the stored statuses
(stored_status.py) so that the pages that count a whole year (the dashboard,
the quarterly table's group headers, row count and pages, the category
choices) read at most one row per agency, category and dimension of a
quarter (about 2,200 of them for 25,000 indicators, 1,500 for 2,500)
rather than every indicator of the year. The public columns count the
public statuses (public_status_q*) of the indicators not hidden from the
public, for the public year overview (public_by_status).

The counts are derived, never edited: `rebuild` recounts the indicators of
some (fiscal year, agency) pairs from their stored statuses and replaces
those pairs' rows. It runs in the transaction of every write that can
change a count (stored_status.refresh, an indicator saved, moved or
deleted, its strategy links changed) and after the bulk writers.
`differences` compares the rows with a fresh count; `manage.py
check_statuses --repair` rebuilds what differs."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from . import permissions, public, rules
from .models import QUARTERS, Agency, FiscalYear, Indicator, StatusCount
from .permissions import AnyUser
from .selectors import browse as selectors_browse

# The four statuses (selectors/browse.STATUSES), each a column of StatusCount.
STATUSES = selectors_browse.STATUSES
STATUS_FIELDS = [f"status_q{q}" for q in QUARTERS]
# The public statuses (public.STATUSES: never "not reported"), each counted
# in a column public_<status> over the indicators not hidden from the public.
PUBLIC_STATUSES = public.STATUSES
PUBLIC_PREFIX = "public_"
PUBLIC_STATUS_FIELDS = [f"public_status_q{q}" for q in QUARTERS]
PUBLIC_COUNTS = [PUBLIC_PREFIX + status for status in PUBLIC_STATUSES]
COUNT_FIELDS = [*STATUSES, *PUBLIC_COUNTS]
BATCH = 500

Pair = tuple[int, int]  # (fiscal year id, agency id)


# --- counting -------------------------------------------------------------------

def _counted(indicators: QuerySet[Indicator]) -> list[StatusCount]:
    """Unsaved StatusCount rows for these indicators: two grouped queries,
    one row per (year, agency, category, statuses, hidden) combination
    each. The public columns count only the indicators the public sees."""
    counts: dict[tuple[Any, ...], dict[tuple[int, str], int]] = defaultdict(lambda: defaultdict(int))
    plain = indicators.order_by()
    counted = ("fiscal_year_id", "owner_id", "category", "public_hidden", *STATUS_FIELDS, *PUBLIC_STATUS_FIELDS)

    def add(key: tuple[Any, ...], hidden: bool, statuses: list[str], n: int) -> None:
        staff, shown = statuses[:len(QUARTERS)], statuses[len(QUARTERS):]
        for quarter, status in zip(QUARTERS, staff, strict=True):
            counts[key][quarter, status] += n
        if not hidden:
            for quarter, status in zip(QUARTERS, shown, strict=True):
                counts[key][quarter, PUBLIC_PREFIX + status] += n

    for year_id, agency_id, category, hidden, *statuses, n in (
        plain.values_list(*counted).annotate(n=Count("pk"))
    ):
        add((year_id, agency_id, category, False, None), hidden, statuses, n)
    # An indicator under two objectives of one dimension counts once in it.
    for dimension_id, year_id, agency_id, category, hidden, *statuses, n in (
        selectors_browse.with_dimension(plain, "dimension")
        .values_list("dimension", *counted)
        .annotate(n=Count("pk", distinct=True))
    ):
        add((year_id, agency_id, category, True, dimension_id), hidden, statuses, n)
    return [
        StatusCount(
            fiscal_year_id=year_id, agency_id=agency_id, category=category, per_dimension=per_dimension,
            dimension_id=dimension_id, quarter=quarter,
            **{field: by_status.get((quarter, field), 0) for field in COUNT_FIELDS},
        )
        for (year_id, agency_id, category, per_dimension, dimension_id), by_status in counts.items()
        for quarter in QUARTERS
    ]


def _lock_agencies(agency_ids: Iterable[int]) -> None:
    # Two writers recounting one agency at once would both delete and then
    # both insert. Its row is locked first (in id order, so that writers
    # never wait for each other in a circle); "no key" so that saving an
    # indicator of the agency (a foreign key check) does not wait for it.
    # SQLite writes one transaction at a time.
    list(Agency.objects.filter(pk__in=sorted(set(agency_ids))).order_by("pk")
         .select_for_update(no_key=True).values_list("pk", flat=True))


def rebuild(pairs: Iterable[Pair]) -> None:
    """Recount the indicators of these (fiscal year id, agency id) pairs."""
    by_year: dict[int, set[int]] = defaultdict(set)
    for year_id, agency_id in pairs:
        if year_id is not None and agency_id is not None:
            by_year[year_id].add(agency_id)
    if not by_year:
        return
    with transaction.atomic():
        _lock_agencies(agency for agencies in by_year.values() for agency in agencies)
        for year_id, agencies in sorted(by_year.items()):
            StatusCount.objects.filter(fiscal_year_id=year_id, agency_id__in=agencies).delete()
            StatusCount.objects.bulk_create(
                _counted(Indicator.objects.filter(fiscal_year_id=year_id, owner_id__in=agencies)), batch_size=BATCH)


def rebuild_years(year_ids: Iterable[int]) -> None:
    """Recount whole fiscal years (after bulk writes, a change of the plan)."""
    year_ids = sorted(set(year_ids))
    if not year_ids:
        return
    with transaction.atomic():
        _lock_agencies(Agency.objects.values_list("pk", flat=True))
        StatusCount.objects.filter(fiscal_year_id__in=year_ids).delete()
        for year_id in year_ids:
            StatusCount.objects.bulk_create(_counted(Indicator.objects.filter(fiscal_year_id=year_id)),
                                            batch_size=BATCH)


def rebuild_all() -> None:
    rebuild_years(FiscalYear.objects.values_list("pk", flat=True))


def pairs_of(indicator_ids: Iterable[int]) -> set[Pair]:
    ids = list(indicator_ids)
    if not ids:
        return set()
    return set(Indicator.objects.filter(pk__in=ids).order_by().values_list("fiscal_year_id", "owner_id").distinct())


def _fields(row: StatusCount) -> tuple[Any, ...]:
    # No dimension sorts as 0, before every node id.
    return (row.fiscal_year_id, row.agency_id, row.category, row.per_dimension, row.dimension_id or 0, row.quarter,
            *(getattr(row, field) for field in COUNT_FIELDS))


def differences(year_ids: Iterable[int] | None = None) -> list[int]:
    """The ids of the fiscal years whose rows differ from a fresh count."""
    years = FiscalYear.objects.all() if year_ids is None else FiscalYear.objects.filter(pk__in=list(year_ids))
    differing = []
    for year_id in years.order_by("pk").values_list("pk", flat=True):
        stored = sorted(_fields(row) for row in StatusCount.objects.filter(fiscal_year_id=year_id))
        fresh = sorted(_fields(row) for row in _counted(Indicator.objects.filter(fiscal_year_id=year_id)))
        if stored != fresh:
            differing.append(year_id)
    return differing


# --- reading ----------------------------------------------------------------------

def visible(user: AnyUser, fiscal_year: FiscalYear) -> QuerySet[StatusCount]:
    """The counts of the indicators of a year this user may see
    (permissions.visible_indicators, by agency)."""
    rows = StatusCount.objects.filter(fiscal_year=fiscal_year)
    agencies = permissions.visible_agencies(user)
    return rows if agencies is None else rows.filter(agency_id__in=agencies)


def published(fiscal_year: FiscalYear) -> QuerySet[StatusCount]:
    """The counts of a fiscal year if it is published (none otherwise): the
    public columns of these are what the public dashboard shows."""
    return StatusCount.objects.filter(fiscal_year=fiscal_year, fiscal_year__published=True)


def _sums(scope: QuerySet[StatusCount], *keys: str, columns: Iterable[str] = STATUSES) -> QuerySet[Any]:
    return scope.order_by().values_list(*keys).annotate(**{column: Sum(column) for column in columns})


def _by_status(scope: QuerySet[StatusCount], quarter: int, columns: list[str],
               statuses: Iterable[str]) -> tuple[dict, dict, dict]:
    # A group (dimension, agency) counted none of these (for the public:
    # all its indicators hidden) is left out, as if it had no indicators.
    totals = dict.fromkeys(STATUSES, 0)
    by_dimension: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    by_agency: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATUSES, 0))
    for per_dimension, dimension_id, agency_id, *numbers in _sums(
            scope.filter(quarter=quarter), "per_dimension", "dimension_id", "agency_id", columns=columns):
        if not any(numbers):
            continue
        for status, number in zip(statuses, numbers, strict=True):
            if per_dimension:
                by_dimension[dimension_id][status] += number
            else:
                totals[status] += number
                by_agency[agency_id][status] += number
    return totals, by_dimension, by_agency


def by_status(scope: QuerySet[StatusCount], quarter: int) -> tuple[dict, dict, dict]:
    """(totals, {dimension id: counts}, {agency id: counts}) at `quarter`,
    each counts a {status: indicators} dict: what the dashboards draw
    (public_by_status gives the public's in the same shape). One query."""
    return _by_status(scope, quarter, list(STATUSES), STATUSES)


def public_by_status(scope: QuerySet[StatusCount], quarter: int) -> tuple[dict, dict, dict]:
    """by_status as the public sees it: the public statuses (public.py) of
    the indicators not hidden from the public (NOT_REPORTED always 0).
    `scope`: published(fiscal_year). One query."""
    return _by_status(scope, quarter, PUBLIC_COUNTS, PUBLIC_STATUSES)


def with_public_totals(years: QuerySet[FiscalYear]) -> QuerySet[FiscalYear]:
    """Fiscal years annotated with `public_<status>` for each public status:
    their indicators by status as the public sees them, at the quarter the
    queryset's `reporting_quarter` annotation names
    (FiscalYear.objects.with_reporting_quarter), from the status counts, in
    the same query."""
    for status, column in zip(PUBLIC_STATUSES, PUBLIC_COUNTS, strict=True):
        counted = (
            StatusCount.objects.filter(fiscal_year=OuterRef("pk"), per_dimension=False,
                                       quarter=OuterRef("reporting_quarter"))
            .order_by().values("fiscal_year").annotate(n=Sum(column)).values("n")
        )
        years = years.annotate(**{f"public_{status}": Coalesce(Subquery(counted), 0)})
    return years


def groups(scope: QuerySet[StatusCount], by_agency: bool) -> dict[int | None, tuple[int, dict[int, int]]]:
    """{group key: (indicators, {quarter: how many met their target})}, the
    groups being agencies or strategy dimensions (reports/tables.group_counts'
    shape). One query."""
    key = "agency_id" if by_agency else "dimension_id"
    found: dict[int | None, tuple[int, dict[int, int]]] = {}
    for group, quarter, *numbers in _sums(scope.filter(per_dimension=not by_agency), key, "quarter"):
        total, met = found.setdefault(group, (sum(numbers), {}))
        met[quarter] = numbers[STATUSES.index(rules.MET)]
    return found


def categories(year: int) -> list[str]:
    """The categories in use in a fiscal year (B.E.)."""
    return list(
        StatusCount.objects.filter(fiscal_year__year=year, per_dimension=False, quarter=QUARTERS[-1])
        .order_by("category").values_list("category", flat=True).distinct()
    )
