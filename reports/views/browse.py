"""The views across indicators: the quarterly achievement table, the
dashboard and the exports. Signed-in users only (LoginRequiredMiddleware);
what each user sees is permissions.visible_indicators, through the list's
FilterSet (indicators.views.browse.filtered)."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import status_counts
from indicators.filters import counted_scope
from indicators.selectors import browse as selectors_browse
from indicators.views.browse import filtered, paginate, shared_query
from indicators.views.scorecard import ranking_context

from .. import dashboard as dashboard_data
from .. import exports, jobs, tables
from ..models import PrintJob

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
        "xlsx_as_job": page.paginator.count > settings.EXPORT_JOB_ROWS,
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
    return render(request, "reports/browse/dashboard.html", context)


def _filename(kind, filterset):
    year = _year_label(filterset)
    return f"kpi-{year.year if year else 'all'}-{kind}"


def list_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    filterset, years = filtered(request)
    quarter = filterset.status_quarter
    rows = selectors_browse.list_rows(filterset.qs, quarter)
    headers, body = exports.list_table(rows, quarter)
    return exports.respond(fmt, headers, body, _filename("indicators", filterset), _("ตัวชี้วัด"))


def quarterly_export(request, fmt):
    """The whole filtered table; an XLSX of more than EXPORT_JOB_ROWS rows
    (2,500 rows took 2.2 s and it grows with the year) is made by a print
    job instead, behind the same progress page as a book."""
    if fmt not in FORMATS:
        raise Http404
    filterset, years = filtered(request)
    group_by = tables.grouping(request.GET.get("group_by"))
    if fmt == "xlsx":
        rows = filterset.qs.count()
        if rows > settings.EXPORT_JOB_ROWS:
            # A job is work started on the user's behalf: only a POST starts
            # one (a link followed by a prefetcher or a crawler must not).
            if request.method == "POST":
                return _quarterly_job(request, filterset, group_by)
            return render(request, "reports/browse/export_job_confirm.html", {
                "rows": rows, "year": _year_label(filterset), "query": shared_query(filterset),
                "group_by": group_by,
            })
    headers, body = exports.quarterly_export(filterset.qs, group_by)
    return exports.respond(fmt, headers, body, _filename("quarterly", filterset), _("ผลรายไตรมาส"))


def _quarterly_job(request, filterset, group_by):
    year = _year_label(filterset)
    params = {**filterset.data.dict(), "group_by": group_by}
    params.pop("page", None)
    try:
        job = jobs.start(
            user=request.user, kind=PrintJob.Kind.QUARTERLY_XLSX, params=params,
            title=_("ตารางผลงานรายไตรมาส ปีงบประมาณ %(year)s") % {"year": year.year if year else "-"},
            download_name=_filename("quarterly", filterset) + ".xlsx",
        )
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(reverse("browse:quarterly") + "?" + shared_query(filterset))
    return redirect("printing:job", pk=job.pk)


def ranking_export(request, year, fmt):
    """The ranking page's table (same year, group and order; the same
    permission: managers, evaluators, administrators)."""
    if fmt not in FORMATS:
        raise Http404
    context = ranking_context(request, year)
    headers, body = exports.ranking_table(context["standings"])
    group = context["group"]
    name = f"kpi-{year}-ranking" + (f"-{group.code}" if group else "")
    return exports.respond(fmt, headers, body, name, _("การจัดลำดับหน่วยงาน"))
