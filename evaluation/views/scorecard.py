"""Agency scorecards and the ranking of agencies for a fiscal year: the
pages, the printed scorecard and the ranking's exports. Thin: who may see
what is indicators/permissions.py, the reads selectors/scorecard.py, the
scoring scorecards.py."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.models import DistrictGroup, FiscalYear
from reports import exports as report_exports
from reports import printing as report_printing
from reports.views.printing import pdf_response

from .. import exports, printing, scorecards
from ..selectors import scorecard as selectors_scorecard

EXPORT_FORMATS = ("csv", "xlsx")


def index(request):
    """The latest year's ranking, or for a reporter their agency's scorecard."""
    latest = FiscalYear.objects.order_by("-year").first()
    if latest is None:
        return render(request, "evaluation/scorecard/no_years.html")
    if permissions.can_view_ranking(request.user):
        return redirect("scorecards:ranking", year=latest.year)
    agency = request.user.agencies.order_by("code").first() if request.user.is_authenticated else None
    if agency is None:
        raise PermissionDenied
    return redirect("scorecards:scorecard", year=latest.year, agency=agency.code)


@transaction.non_atomic_requests  # reads only
def scorecard(request, year, agency):
    agency = permissions.agency_for(request.user, agency)
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    card = selectors_scorecard.agency_scorecard(fiscal_year, agency)
    return render(request, "evaluation/scorecard/scorecard.html", {
        "card": card, "fiscal_year": fiscal_year, "years": FiscalYear.objects.order_by("-year"),
        "may_rank": permissions.can_view_ranking(request.user),
    })


def ranking_context(request, year):
    """What the ranking page and its exports show: the year, the district
    group chosen (?group=code: its district offices only), the order
    (?sort=) and the standings."""
    if not permissions.can_view_ranking(request.user):
        raise PermissionDenied
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    groups = list(DistrictGroup.objects.all())
    group = next((g for g in groups if g.code == request.GET.get("group")), None)
    sort = request.GET.get("sort") if request.GET.get("sort") in scorecards.SORTS else "rank"
    agencies = selectors_scorecard.ranking_agencies(group.code if group else None)
    summaries = selectors_scorecard.year_summaries(fiscal_year)
    return {
        "fiscal_year": fiscal_year, "groups": groups, "group": group, "sort": sort,
        "standings": scorecards.ranking(agencies, summaries, sort),
    }


@transaction.non_atomic_requests  # reads only
def ranking(request, year):
    context = ranking_context(request, year)
    query = request.GET.copy()
    query.pop("sort", None)
    context.update(years=FiscalYear.objects.order_by("-year"), query_without_sort=query.urlencode(),
                   query=request.GET.urlencode(), count_labels=scorecards.COUNT_LABELS)
    return render(request, "evaluation/scorecard/ranking.html", context)


def scorecard_pdf(request, year, agency):
    """An agency's scorecard, printed in the sheets' style; who may see it as for the page."""
    agency = permissions.agency_for(request.user, agency)
    fiscal_year = get_object_or_404(FiscalYear, year=year)
    card = selectors_scorecard.agency_scorecard(fiscal_year, agency)
    pdf = printing.render_scorecard_pdf(card, fiscal_year, report_printing.stamp_for(request.user))
    return pdf_response(pdf, f"scorecard-{year}-{agency.code}.pdf")


def ranking_export(request, year, fmt):
    """The ranking page's table (same year, group and order; the same
    permission: managers, evaluators, administrators)."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    context = ranking_context(request, year)
    headers, body = exports.ranking_table(context["standings"])
    group = context["group"]
    name = f"kpi-{year}-ranking" + (f"-{group.code}" if group else "")
    return report_exports.respond(fmt, headers, body, name, _("การจัดลำดับหน่วยงาน"))
