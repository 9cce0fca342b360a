"""The public site under /public/: no sign-in, the same page for everyone.

Per published fiscal year: its indicators by strategy dimension and by
agency, the searchable list, each indicator's page, and the year's open data
files; the data dictionary. What is shown is indicators/public.py's: public
indicators, and of each quarter only what the evaluator accepted.

Every page is cached whole per version of its data (public/caching.py), with
ETag and Last-Modified, so a repeat costs two small queries."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators import public as public_rules
from indicators.filters import PAGE_SIZE
from indicators.models import QUARTERS, Agency, FiscalYear, Indicator, StrategyNode
from reports import dashboard

from . import caching, opendata, selectors
from .filters import public_filter_for
from .sheet import build_public_sheet

# The list's filters (filters.PublicIndicatorFilter) and its page.
LIST_PARAMETERS = ("q", "agency", "group", "strategy", "category", "status", "quarter", "sort", "page")


def public_view(view):
    """No sign-in, GET and HEAD only, and no transaction (reads only)."""
    return login_not_required(require_safe(transaction.non_atomic_requests(view)))


def published_year(year: int) -> FiscalYear:
    """The fiscal year if it is published; 404 otherwise, as if it did not
    exist (an unpublished year is not announced)."""
    return get_object_or_404(FiscalYear, year=year, published=True)


def cached_page(request: HttpRequest, key: str, render_page) -> HttpResponse:
    """The page under `key`, rendered by render_page() on a miss."""
    unchanged = caching.not_modified(request, key)
    if unchanged is not None:
        return unchanged
    body = caching.get(key)
    if body is None:
        rendered = render_page()
        if rendered.status_code != 200:
            return rendered
        body = rendered.content
        caching.put(key, body)
    return caching.stamp(HttpResponse(body, content_type="text/html; charset=utf-8"), key)


def year_version(fiscal_year: FiscalYear) -> str:
    return selectors.data_version(Indicator.objects.filter(fiscal_year=fiscal_year))


@public_view
def home(request):
    years = selectors.published_years_at_their_quarter(timezone.localdate())
    return render(request, "public/home.html", {"years": years, **dashboard.public_years_chart(years)})


def _quarter(value: str | None) -> int:
    return int(value) if value in {str(q) for q in QUARTERS} else QUARTERS[-1]


@public_view
def year_overview(request, year):
    fiscal_year = published_year(year)
    quarter = _quarter(request.GET.get("quarter"))
    key = caching.key_for("year", year_version(fiscal_year), request.path, quarter)

    def render_page():
        totals, by_dimension, by_agency = dashboard.stored_public_status_counts(fiscal_year, quarter)
        dimensions = StrategyNode.objects.filter(pk__in=[k for k in by_dimension if k]).order_by("code")
        agencies = Agency.objects.filter(pk__in=list(by_agency)).select_related("district_group").order_by(
            "kind", "code")
        list_url = reverse("public:list", args=[year])

        def row(label, counts, **params):
            # The list filtered to the row (none for indicators under no dimension).
            return {
                "label": label, "counts": counts, "total": sum(counts[s] for s in public_rules.STATUSES),
                "url": f"{list_url}?{urlencode({'quarter': quarter, **params})}" if params else None,
            }

        dimension_rows = [row(f"{node.code} {node.title}", by_dimension[node.pk], strategy=node.code)
                          for node in dimensions]
        if None in by_dimension:
            dimension_rows.append(row(_("ไม่ระบุด้านยุทธศาสตร์"), by_dimension[None]))
        agency_rows = [row(agency.name, by_agency[agency.pk], agency=agency.code) for agency in agencies]
        return render(request, "public/year.html", {
            "fiscal_year": fiscal_year, "quarter": quarter, "quarters": QUARTERS,
            "statuses": public_rules.STATUSES, "totals": totals,
            "total": sum(totals[s] for s in public_rules.STATUSES),
            "dimension_rows": dimension_rows, "agency_rows": agency_rows, "list_url": list_url,
        })

    return cached_page(request, key, render_page)


@public_view
def indicator_list(request, year):
    fiscal_year = published_year(year)
    query = caching.clean_query(request.GET, LIST_PARAMETERS)
    key = caching.key_for("list", year_version(fiscal_year), request.path, query.urlencode())

    def render_page():
        filterset, _years = public_filter_for(query, fiscal_year)
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(query.get("page"))
        page.elided_range = list(page.paginator.get_elided_page_range(page.number))
        rows = selectors.public_rows(page.object_list, filterset.status_quarter)
        without_page = query.copy()
        without_page.pop("page", None)
        return render(request, "public/list.html", {
            "fiscal_year": fiscal_year, "filterset": filterset, "page": page, "rows": rows,
            "query": without_page, "status_quarter": filterset.status_quarter,
        })

    return cached_page(request, key, render_page)


@public_view
def indicator_detail(request, year, code):
    indicator = get_object_or_404(
        Indicator.objects.public().only("id", "sheet_version"), fiscal_year__year=year, code=code)
    key = caching.key_for("indicator", f"{indicator.pk}.{indicator.sheet_version}", request.path)

    def render_page():
        loaded = selectors.with_public_sheet_relations().get(pk=indicator.pk)
        return render(request, "public/detail.html", {"sheet": build_public_sheet(loaded)})

    return cached_page(request, key, render_page)


@public_view
def data_dictionary(request):
    return render(request, "public/data.html", {
        "years": selectors.published_years(), "columns": opendata.COLUMNS,
    })


FORMATS = {
    "csv": ("text/csv; charset=utf-8", lambda fiscal_year, rows: opendata.as_csv(rows)),
    "json": ("application/json", opendata.as_json),
}


@public_view
def year_data(request, year, fmt):
    if fmt not in FORMATS:
        raise Http404
    fiscal_year = published_year(year)
    key = caching.key_for("data", year_version(fiscal_year), fmt)
    unchanged = caching.not_modified(request, key)
    if unchanged is not None:
        return unchanged
    content_type, write = FORMATS[fmt]
    body = caching.built_once(key, lambda: write(fiscal_year, opendata.year_records(fiscal_year)))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="kpi-{year}.{fmt}"'
    return caching.stamp(response, key)
