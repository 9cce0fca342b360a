"""The filters of the project list: every filter a GET parameter, so a
filtered list is a URL one can share. The year defaults to the latest, as
the indicator list's (indicators/filters.py)."""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from indicators.filters import FastSelect
from indicators.models import Agency, DistrictGroup

from .models import Project
from .progress import Standing

PAGE_SIZE = 50


class ProjectFilter(django_filters.FilterSet):
    # Choices come from the years the view has loaded (no query of its own).
    year = django_filters.TypedChoiceFilter(
        widget=FastSelect, label=_("ปีงบประมาณ"), coerce=int, choices=[], empty_value=None, method="in_year",
    )
    q = django_filters.CharFilter(label=_("ค้นหา (รหัสหรือคำในชื่อ)"), method="search")
    agency = django_filters.ModelChoiceFilter(
        widget=FastSelect, label=_("หน่วยงาน"), field_name="owner", queryset=Agency.objects.order_by("kind", "code"),
        to_field_name="code", empty_label=_("ทุกหน่วยงาน"),
    )
    group = django_filters.ModelChoiceFilter(
        widget=FastSelect, label=_("กลุ่มเขต"), field_name="owner__district_group", to_field_name="code",
        queryset=DistrictGroup.objects.all(), empty_label=_("ทุกกลุ่มเขต"),
    )
    standing = django_filters.ChoiceFilter(
        widget=FastSelect, label=_("สถานะโครงการ"), choices=Standing.choices, method="has_standing",
        empty_label=_("ทุกสถานะ"),
    )

    class Meta:
        model = Project
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, years=(), day=None, **kwargs):
        years = list(years)
        data = data.copy() if data is not None else {}
        if not data.get("year") and years:
            data["year"] = str(years[0].year)
        self.fiscal_years = {y.year: y for y in years}
        self.day = day or datetime.date.today()
        super().__init__(data, queryset, **kwargs)
        self.filters["year"].extra["choices"] = [(y.year, str(y.year)) for y in years]
        for field in self.form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} {css}-sm")

    @property
    def fiscal_year(self):
        """The chosen FiscalYear, or None (no years yet, or a bad value)."""
        if not self.form.is_valid():
            return None
        return self.fiscal_years.get(self.form.cleaned_data.get("year"))

    def in_year(self, queryset, name, value):
        fiscal_year = self.fiscal_years.get(value)
        if fiscal_year is None:
            return queryset.filter(fiscal_year__year=value)
        return queryset.filter(fiscal_year_id=fiscal_year.pk)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))

    def has_standing(self, queryset, name, value):
        # The standing stored on each row (projects/standing.py: the rules'
        # answer, refreshed for today by the view before filtering): an
        # indexed read with the year.
        return queryset.filter(standing=value)

    @property
    def qs(self):
        if not self.form.is_valid():
            # A value that is not one of the choices (an edited URL) shows
            # nothing, with the field's message, rather than everything.
            return self.queryset.none()
        queryset = super().qs
        return queryset.order_by("code", "pk")
