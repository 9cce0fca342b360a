from django.db import transaction
from django.db.models import OuterRef
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from indicators import permissions
from indicators.models import reporting_quarter
from indicators.selectors.trend import year_points
from projects.selectors import projects_of_indicator

from .. import sheet_cache
from ..sheet import build_sheet, with_sheet_relations


@transaction.non_atomic_requests  # reads only: no BEGIN / COMMIT round trips
def detail(request, year, code):
    indicator = permissions.indicator_for(request.user, year, code)
    key = sheet_cache.cache_key(indicator, request.user)
    body = sheet_cache.get(key)
    if body is None:
        # Which quarters are due, in the same query (models.reporting_quarter).
        loaded = with_sheet_relations().annotate(
            reporting_quarter=reporting_quarter(OuterRef("fiscal_year_id"), timezone.localdate()),
        ).get(pk=indicator.pk)
        body = render_to_string("reports/detail/_detail_body.html", {
            "sheet": build_sheet(loaded),
            # Earlier years with the same code; their changes bump this
            # sheet's version too (sheet_cache), so the body may include them.
            "trend": year_points(loaded),
            # The projects that support it, with their progress and standing
            # (a change to one bumps this sheet's version, sheet_cache).
            "projects": projects_of_indicator(loaded, timezone.localdate(),
                                              every_agency=permissions.reads_everything(request.user)),
            "user": request.user,
            "viewer_is_evaluator": permissions.is_evaluator(request.user),
        })
        sheet_cache.put(key, body)
    return render(request, "reports/detail/detail.html", {"indicator": indicator, "body": mark_safe(body)})
