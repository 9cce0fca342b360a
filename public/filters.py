"""The list's filters as the public has them (the public site and the
anonymous API): indicators/filters.py's, with the status as the public
sees it."""

import django_filters
from django.utils.translation import gettext_lazy as _

from indicators import public
from indicators.filters import FastSelect, IndicatorFilter
from indicators.selectors import browse as selectors_browse

from . import selectors

PUBLIC_STATUS_CHOICES = [(status, selectors_browse.STATUS_LABELS[status]) for status in public.STATUSES]


class PublicIndicatorFilter(IndicatorFilter):
    """The list's filters as the public has them (public site, anonymous
    API): the same codes, with the status as indicators/public.py computes
    it from accepted quarters. No comparison with last year: it compares
    achievements that may rest on results not yet accepted."""

    status = django_filters.ChoiceFilter(
        widget=FastSelect,
        label=_("สถานะ"), choices=PUBLIC_STATUS_CHOICES, method="has_status", empty_label=_("ทุกสถานะ"),
    )
    change = None

    def __init__(self, data=None, queryset=None, *, years=None, year_in_path=False, **kwargs):
        super().__init__(data, queryset, years=years, **kwargs)
        if year_in_path:
            # The page's URL names the year (/public/<year>/indicators/);
            # the view has limited the queryset to it.
            self.filters.pop("year")
            self.form.fields.pop("year")

    def has_status(self, queryset, name, value):
        annotated = queryset.with_status(self.status_quarter, name="status_filter", public=True)
        return annotated.filter(status_filter=value)


def public_filter_for(data, fiscal_year=None):
    """(the public FilterSet on every public indicator, the published years):
    of one year when `fiscal_year` is given (its pages), else of the year
    chosen with ?year= (the API; the latest published year by default)."""
    years = selectors.published_years()
    queryset = selectors.public_indicators()
    if fiscal_year is not None:
        queryset = queryset.filter(fiscal_year=fiscal_year)
        return PublicIndicatorFilter(data, queryset=queryset, years=[fiscal_year], year_in_path=True), years
    return PublicIndicatorFilter(data, queryset=queryset, years=years), years
