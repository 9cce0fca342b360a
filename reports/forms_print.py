from django import forms
from django.utils.translation import gettext_lazy as _

from indicators import permissions
from indicators.models import Agency, DistrictGroup, FiscalYear, StrategyNode


class BookFilterForm(forms.Form):
    """Which indicators go into a book: a fiscal year and exactly one of an
    agency, a district group or a strategy dimension."""

    year = forms.ModelChoiceField(
        label=_("ปีงบประมาณ"), queryset=FiscalYear.objects.all(), to_field_name="year", empty_label=None
    )
    agency = forms.ModelChoiceField(label=_("หน่วยงาน"), queryset=Agency.objects.all(), to_field_name="code",
                                    required=False)
    district_group = forms.ModelChoiceField(
        label=_("กลุ่มเขต"), queryset=DistrictGroup.objects.all(), to_field_name="code", required=False
    )
    dimension = forms.ModelChoiceField(
        label=_("ด้านยุทธศาสตร์"),
        queryset=StrategyNode.objects.filter(level=StrategyNode.Level.DIMENSION),
        to_field_name="code",
        required=False,
    )

    FILTERS = ("agency", "district_group", "dimension")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not permissions.reads_everything(user):
            # Offer a reporter only their own agencies. Others still validate,
            # so the view can refuse them with 403 as the detail page does.
            field = self.fields["agency"]
            field.widget.choices = [("", field.empty_label)] + [
                (agency.code, str(agency))
                for agency in Agency.objects.filter(id__in=permissions.agency_ids_of(user))
            ]

    def clean(self):
        cleaned = super().clean()
        chosen = [name for name in self.FILTERS if cleaned.get(name)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                _("เลือกหน่วยงาน กลุ่มเขต หรือด้านยุทธศาสตร์ อย่างใดอย่างหนึ่งเพียงอย่างเดียว"), code="one_filter"
            )
        return cleaned

    def chosen(self):
        """(field name, object) of the one filter chosen."""
        for name in self.FILTERS:
            if self.cleaned_data.get(name):
                return name, self.cleaned_data[name]
        raise ValueError("form is not valid")
