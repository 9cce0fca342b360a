"""The audit log's filters: person, agency, fiscal year, quarter, kind of
change and a range of Thai (Buddhist Era) dates."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from indicators.dates import ThaiDateField
from indicators.models import QUARTER_CHOICES, Agency, FiscalYear

from . import log


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class AuditFilterForm(forms.Form):
    person = PersonChoiceField(label=_("ผู้แก้ไข"), required=False, empty_label=_("ทุกคน"),
                               queryset=get_user_model().objects.order_by("username"))
    agency = forms.ModelChoiceField(label=_("หน่วยงาน"), required=False, empty_label=_("ทุกหน่วยงาน"),
                                    queryset=Agency.objects.order_by("code"))
    year = forms.TypedChoiceField(label=_("ปีงบประมาณ"), required=False, coerce=int, empty_value=None)
    quarter = forms.TypedChoiceField(label=_("ไตรมาส"), required=False, coerce=int, empty_value=None,
                                     choices=[("", _("ทุกไตรมาส")), *QUARTER_CHOICES])
    kind = forms.ChoiceField(label=_("ประเภทการเปลี่ยนแปลง"), required=False,
                             choices=[("", _("ทุกประเภท")), *log.KINDS.items()])
    date_from = ThaiDateField(label=_("ตั้งแต่วันที่"), required=False)
    date_to = ThaiDateField(label=_("ถึงวันที่"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = FiscalYear.objects.order_by("-year").values_list("year", flat=True)
        self.fields["year"].choices = [("", _("ทุกปี")), *((year, str(year)) for year in years)]
        for bound in self.fields.values():
            css = "form-control form-control-sm" if isinstance(bound, ThaiDateField) else "form-select form-select-sm"
            bound.widget.attrs["class"] = css

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("วันที่สิ้นสุดต้องไม่ก่อนวันที่เริ่มต้น"))
        return cleaned

    def filters(self) -> log.Filters:
        """The filters asked (all of them empty until the form is valid)."""
        if not self.is_valid():
            return log.Filters()
        data = self.cleaned_data
        return log.Filters(
            person=data["person"], agency_id=data["agency"].pk if data["agency"] else None, year=data["year"],
            quarter=data["quarter"], kind=data["kind"] or None, date_from=data["date_from"],
            date_to=data["date_to"],
        )
