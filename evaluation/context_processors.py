"""Notifications shown on every page: an evaluator sees how many submitted
quarters wait for review; a reporter sees their agencies' quarters returned
for correction, with the evaluator's comment and a link to the form that
corrects it.

Computed lazily: a page that does not show them runs no query for them."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from indicators import permissions
from indicators.models import QuarterResult

RETURNED_SHOWN = 20


@dataclass
class Notices:
    is_evaluator: bool = False
    waiting_count: int = 0
    returned: list = field(default_factory=list)


def _notices_for(user):
    if not user.is_authenticated:
        return Notices()
    notices = Notices(is_evaluator=permissions.is_evaluator(user))
    if notices.is_evaluator:
        notices.waiting_count = QuarterResult.objects.filter(status=QuarterResult.Status.SUBMITTED).count()
    if permissions.has_role(user, permissions.REPORTER):
        agency_ids = permissions.agency_ids_of(user)
        if agency_ids:
            notices.returned = list(
                QuarterResult.objects.filter(status=QuarterResult.Status.RETURNED, indicator__owner_id__in=agency_ids)
                .select_related("indicator__fiscal_year")
                .order_by("-reviewed_at", "id")[:RETURNED_SHOWN]
            )
            for result in notices.returned:
                result.notice_url = _correction_url(user, result)
    return notices


def _correction_url(user, result):
    """Where a returned quarter is corrected: its report form, for whoever may
    report on it; the indicator's page for anyone else."""
    indicator = result.indicator
    if permissions.can_report_on(user, indicator):
        return reverse("entry:report", args=[indicator.fiscal_year.year, indicator.code, result.quarter])
    return indicator.get_absolute_url()


def review_notices(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"review_notices": SimpleLazyObject(lambda: _notices_for(user))}
