"""Reporting progress per agency or district group, its exports, and the
button that reminds a late agency (evaluators and managers only). Rows are
what the viewer may see (permissions.visible_indicators, and for the
project columns projects.permissions.visible_projects)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators.models import QUARTERS, Agency, Quarter
from indicators.selectors import browse as selectors_browse
from notifications import reminders
from projects.permissions import visible_projects

from .. import exports
from .. import progress as reporting_progress

FORMATS = ("csv", "xlsx")


def _choice(request, years):
    """(year, quarter, by, sort, descending) from the query, with defaults:
    the latest year and the quarter whose window opened last."""
    data = request.GET if request.method == "GET" else request.POST
    year_numbers = [y.year for y in years]
    try:
        year = int(data.get("year") or (year_numbers[0] if year_numbers else 0))
        quarter = int(data.get("quarter") or 0)
    except ValueError:
        raise Http404 from None
    if year not in year_numbers or quarter not in (0, *QUARTERS):
        raise Http404
    if not quarter:
        # The quarter being reported (models.reporting_quarter), as the list opens at.
        quarter = next(y.reporting_quarter for y in years if y.year == year)
    by = data.get("by") if data.get("by") in dict(reporting_progress.GROUPINGS) else reporting_progress.BY_AGENCY
    sort = data.get("sort") if data.get("sort") in reporting_progress.SORTS else "completion"
    return year, quarter, by, sort, data.get("dir") == "desc"


def _progress(request):
    years = selectors_browse.fiscal_years()
    if not years:
        return years, None
    year, quarter, by, sort, descending = _choice(request, years)
    data = reporting_progress.progress(
        selectors_browse.visible(request.user), year=year, quarter=quarter, by=by, sort=sort, descending=descending,
        projects=visible_projects(request.user))
    return years, data


def progress_page(request):
    years, data = _progress(request)
    may_remind = reminders.may_remind(request.user)
    context = {"years": years, "data": data, "quarters": QUARTERS, "groupings": reporting_progress.GROUPINGS,
               "categories": [(c, reporting_progress.CATEGORY_LABELS[c])
                              for c in (data.categories if data else reporting_progress.CATEGORIES)],
               "project_states": list(reporting_progress.PROJECT_LABELS.items()),
               "may_remind": may_remind}
    if data is not None:
        # Each agency's row with whom its button would remind (the function that sends).
        found = {}
        if may_remind and data.by == reporting_progress.BY_AGENCY and data.window is not None:
            found = reminders.remindable(quarter=data.window, agency_ids=[row.key for row in data.rows],
                                         user=request.user, today=timezone.localdate())
        context["rows"] = [(row, found.get(row.key)) for row in data.rows]
        base = {"year": data.year, "quarter": data.quarter, "by": data.by}
        context["query"] = urlencode(base)
        sort, descending = request.GET.get("sort", "completion"), request.GET.get("dir") == "desc"
        context["sort_links"] = {
            key: urlencode({**base, "sort": key, "dir": "asc" if key == sort and descending else "desc"})
            for key in reporting_progress.SORTS
        }
    return render(request, "reports/progress/page.html", context)


def progress_export(request, fmt):
    if fmt not in FORMATS:
        raise Http404
    years, data = _progress(request)
    if data is None:
        raise Http404
    headers, body = reporting_progress.export_table(data)
    name = f"progress-{data.year}-q{data.quarter}-{data.by}"
    return exports.respond(fmt, headers, body, name, _("ความก้าวหน้าการรายงาน"))


@require_POST
def remind(request):
    if not reminders.may_remind(request.user):
        raise PermissionDenied
    years = selectors_browse.fiscal_years()
    year, quarter_number, by, sort, descending = _choice(request, years)
    quarter = get_object_or_404(Quarter.objects.select_related("fiscal_year"), fiscal_year__year=year,
                                number=quarter_number)
    agency = get_object_or_404(Agency, code=request.POST.get("agency", ""))
    outcome = reminders.remind_agency(quarter=quarter, agency=agency, user=request.user,
                                      today=timezone.localdate())
    if outcome.sent:
        messages.success(request, _("ส่งการเตือนถึงเจ้าหน้าที่ของ %(a)s แล้ว %(n)s คน") % {
            "a": agency.name, "n": len(outcome.sent)})
    elif outcome.already_sent:
        messages.info(request, _("วันนี้ได้ส่งการเตือนถึง %(a)s ไปแล้ว") % {"a": agency.name})
    else:
        # The page offers no button then; a replayed or stale form gets this.
        messages.info(request, _("%(a)s ไม่มีตัวชี้วัดหรือรายงานโครงการค้างส่ง หรือไม่มีเจ้าหน้าที่ที่จะรับการเตือน") % {"a": agency.name})
    return redirect(reverse("progress:page") + "?" + urlencode(
        {"year": year, "quarter": quarter_number, "by": by, "sort": sort, "dir": "desc" if descending else "asc"}))
