"""The indicator list at /: filtered, searched, sorted and paginated; what a
user sees goes through permissions.visible_indicators."""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render

from ..filters import PAGE_SIZE, filter_for
from ..selectors import browse as selectors_browse


def filtered(request):
    """The list's FilterSet on what this user may see (filters.filter_for),
    opening a year in progress at the quarter being reported."""
    return filter_for(request.user, request.GET, open_at_reporting_quarter=True)


def shared_query(filterset, drop=("page",)):
    """The effective filters (defaults filled in) as a query string."""
    query = filterset.data.copy()
    for key in drop:
        query.pop(key, None)
    return query.urlencode()


def paginate(request, object_list, per_page=PAGE_SIZE):
    page = Paginator(object_list, per_page).get_page(request.GET.get("page"))
    page.elided_range = list(page.paginator.get_elided_page_range(page.number))
    return page


def indicator_list(request):
    filterset, years = filtered(request)
    page = paginate(request, filterset.qs)
    rows = selectors_browse.list_rows(page.object_list, filterset.status_quarter)
    return render(request, "indicators/list.html", {
        "filterset": filterset,
        "year": filterset.fiscal_year,
        "page": page,
        "rows": rows,
        "query": shared_query(filterset),
        "has_years": bool(years),
        # The export buttons then post: one click starts the print job.
        "export_as_job": page.paginator.count > settings.EXPORT_JOB_ROWS,
    })
