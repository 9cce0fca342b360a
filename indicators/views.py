from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import permissions, selectors
from .models import Indicator
from .sheet import build_sheet


def detail(request, year, code):
    # Look the indicator up among all, then check: a guessed URL for an
    # indicator one may not see gets 403, an unknown one 404.
    indicator = selectors.indicator_for_sheet(Indicator.objects.all(), year, code)
    if not permissions.can_view_indicator(request.user, indicator):
        raise PermissionDenied
    return render(request, "indicators/detail.html", {"sheet": build_sheet(indicator)})
