"""The views across indicators: the quarterly achievement table, the
dashboard and the exports. Signed-in users only (LoginRequiredMiddleware);
what each user sees is permissions.visible_indicators, through the list's
FilterSet (indicators.views.browse.filtered)."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from indicators import status_counts
from indicators.filters import counted_scope
from indicators.views.browse import filtered, paginate, shared_query
from projects.models import Project
from projects.permissions import visible_projects

from .. import dashboard as dashboard_data
from .. import job_kinds, tables
from .exporting import export_response

TABLE_PAGE_SIZE = 50
FORMATS = ("csv", "xlsx")


def _year_label(filterset):
    return filterset.fiscal_year


def quarterly(request):
    filterset, years = filtered(request)
    group_by = tables.grouping(request.GET.get("group_by"))
    queryset = filterset.qs
    counted = counted_scope(filterset, request.user)
    page = paginate(request, tables.rows_for(queryset, group_by, counted), TABLE_PAGE_SIZE)
    groups = tables.table_page(queryset, group_by, page)
    return render(request, "reports/browse/quarterly.html", {
        "filterset": filterset,
        "year": _year_label(filterset),
        "group_by": group_by,
        "extra_fields": [("group_by", group_by)],
        "groupings": tables.GROUPINGS,
        "page": page,
        "groups": groups,
        "query": shared_query(filterset),
        "query_no_grouping": shared_query(filterset, drop=("page", "group_by")),
        "export_as_job": page.paginator.count > settings.EXPORT_JOB_ROWS,
    })


def dashboard(request):
    filterset, years = filtered(request)
    year = _year_label(filterset)
    quarter = filterset.status_quarter
    context = {"filterset": filterset, "year": year, "quarter": quarter, "years": years}
    if year is not None:
        # The year's status counts (status_counts.py), not its indicators.
        counts = status_counts.by_status(status_counts.visible(request.user, year), quarter)
        context.update(dashboard_data.dashboard(counts, year.year, quarter))
        projects = visible_projects(request.user, Project.objects.filter(fiscal_year=year))
        context.update(dashboard_data.project_section(projects, year, quarter, timezone.localdate()))
    return render(request, "reports/browse/dashboard.html", context)


def list_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    filterset, years = filtered(request)
    kind = job_kinds.LIST_CSV if fmt == "csv" else job_kinds.LIST_XLSX
    return export_response(request, kind, filterset)


def quarterly_export(request, fmt):
    """The whole filtered table (2,500 rows took 2.2 s as XLSX, 25,000 took
    4.3 s as CSV): over EXPORT_JOB_ROWS rows, a print job."""
    if fmt not in FORMATS:
        raise Http404
    filterset, years = filtered(request)
    group_by = tables.grouping(request.GET.get("group_by"))
    kind = job_kinds.QUARTERLY_CSV if fmt == "csv" else job_kinds.QUARTERLY_XLSX
    return export_response(request, kind, filterset, group_by=group_by)
