"""The project list at /projects/: a year (the latest by default), searched
and filtered, paginated; only the projects the user may see."""

from django.shortcuts import render
from django.utils import timezone

from indicators.selectors import browse as indicator_browse
from indicators.views.browse import paginate, shared_query

from .. import selectors
from ..filters import PAGE_SIZE, ProjectFilter
from ..permissions import visible_projects


def project_list(request):
    day = timezone.localdate()
    years = indicator_browse.fiscal_years()
    queryset = selectors.list_queryset(visible_projects(request.user))
    filterset = ProjectFilter(request.GET, queryset=queryset, years=years, day=day)
    # The stored standings the filter reads are today's (once a day per year).
    selectors.refresh_year(filterset.fiscal_year, day)
    page = paginate(request, filterset.qs, PAGE_SIZE)
    return render(request, "projects/list.html", {
        "filterset": filterset,
        "year": filterset.fiscal_year,
        "page": page,
        "rows": selectors.list_rows(page.object_list, day),
        "query": shared_query(filterset),
        "has_years": bool(years),
    })
