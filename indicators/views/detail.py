from django.shortcuts import render

from .. import permissions
from ..selectors.detail import with_sheet_relations
from ..sheet import build_sheet


def detail(request, year, code):
    indicator = permissions.indicator_for(request.user, year, code, queryset=with_sheet_relations())
    return render(request, "indicators/detail.html", {"sheet": build_sheet(indicator)})
