"""Notifications shown on every page: an evaluator sees how many submitted
quarters wait for review; a reporter sees their agencies' quarters returned
for correction, with the evaluator's comment. (Mail comes later.)

Computed lazily: a page that does not show them runs no query for them."""

from dataclasses import dataclass, field

from django.utils.functional import SimpleLazyObject

from . import permissions
from .models import QuarterResult

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
    return notices


def review_notices(request):
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"review_notices": SimpleLazyObject(lambda: _notices_for(user))}
