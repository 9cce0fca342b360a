"""The public site's project pages under /public/<year>/projects/: the list
of a published year's projects (search, agency) and each project's page.
What is shown is public/projects.py's: accepted updates only, never staff,
comments or evidence. No sign-in; a fixed number of queries per page."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from indicators.filters import PAGE_SIZE
from projects import figures

from . import projects as selectors
from .views import public_view, published_year


def _day(fiscal_year):
    return figures.figures_day(fiscal_year.ends_on, None, timezone.localdate())


@public_view
def project_list(request, year):
    fiscal_year = published_year(year)
    q = request.GET.get("q", "")[:200]
    agency = request.GET.get("agency", "")[:30]
    agencies = list(selectors.agencies_with_projects(fiscal_year))
    queryset = selectors.searched(selectors.list_queryset(fiscal_year), q, agency)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    page.elided_range = list(page.paginator.get_elided_page_range(page.number))
    rows = selectors.list_rows(list(page.object_list), _day(fiscal_year))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "public/projects/list.html", {
        "fiscal_year": fiscal_year, "agencies": agencies, "q": q, "agency": agency, "page": page, "rows": rows,
        "query": query,
    })


@public_view
def project_detail(request, year, code):
    fiscal_year = published_year(year)
    project = selectors.public_project(fiscal_year, code)
    if project is None:
        raise Http404
    return render(request, "public/projects/detail.html", {
        "fiscal_year": fiscal_year, "page": selectors.project_page(project, _day(fiscal_year)),
    })
