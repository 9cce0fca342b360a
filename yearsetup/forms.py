"""Forms for setting up a year: the workbook import's upload and the
rollover to the next fiscal year. They check the shape of the input; the
rules are in workbook/ and rollover.py."""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.dates import ThaiDateField
from indicators.models import FiscalYear
from indicators.text import thai_date

from .rollover import default_windows


class ImportForm(forms.Form):
    file = forms.FileField(label=_("ไฟล์ Excel (XLSX)"), error_messages={"required": _("กรุณาเลือกไฟล์")},
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))
    year = forms.IntegerField(label=_("ปีงบประมาณ (พ.ศ.)"), required=False, min_value=2400, max_value=2800,
                              help_text=_("ว่างไว้เพื่อใช้ปีในคอลัมน์ปีงบประมาณของไฟล์"))
    allow_scored_target_change = forms.BooleanField(
        label=_("ยืนยันเปลี่ยนค่าเป้าหมายของตัวชี้วัดที่ประเมินไตรมาส 4 แล้ว"), required=False)


class RolloverForm(forms.Form):
    source = forms.TypedChoiceField(label=_("เริ่มจากปีงบประมาณ"), coerce=int)
    carry_targets = forms.BooleanField(label=_("ยกค่าเป้าหมายมาด้วย (ไม่เลือก: เว้นค่าเป้าหมายว่างไว้)"),
                                       required=False, initial=True)
    carry_projects = forms.BooleanField(
        label=_("ยกโครงการมาด้วย (รหัส ข้อมูลโครงการ และกิจกรรมเดิม ต่อเนื่องจากโครงการปีเดิม "
                "ไม่มีรายงานความคืบหน้า หลักฐาน หรือคะแนน)"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = list(FiscalYear.objects.order_by("-year").values_list("year", flat=True))
        self.fields["source"].choices = [(y, _("%(y)s → %(n)s") % {"y": y, "n": y + 1}) for y in years]
        defaults = default_windows(years[0] + 1) if years else {}
        for number in range(1, 5):
            for edge, label in (("opens", _("เปิดรายงาน")), ("closes", _("ปิดรายงาน"))):
                self.fields[f"q{number}_{edge}"] = ThaiDateField(
                    label=_("ไตรมาส %(n)s %(edge)s") % {"n": number, "edge": label}, required=False)
            if defaults:
                opens, closes = defaults[number]
                self.fields[f"q{number}_closes"].help_text = _(
                    "ว่างไว้เพื่อใช้ช่วงเวลาตามปฏิทิน (ปีงบประมาณ %(y)s: %(opens)s ถึง %(closes)s)"
                ) % {"y": years[0] + 1, "opens": thai_date(opens, get_language()),
                     "closes": thai_date(closes, get_language())}

    def clean(self):
        cleaned = super().clean()
        for number in range(1, 5):
            opens, closes = cleaned.get(f"q{number}_opens"), cleaned.get(f"q{number}_closes")
            if bool(opens) != bool(closes):
                self.add_error(f"q{number}_{'closes' if opens else 'opens'}",
                               _("ระบุทั้งวันเปิดและวันปิดรายงาน หรือเว้นว่างทั้งสองช่อง"))
            elif opens and closes and opens > closes:
                self.add_error(f"q{number}_closes", _("วันปิดรายงานต้องไม่ก่อนวันเปิดรายงาน"))
        return cleaned

    def windows(self):
        """The windows given in full, by quarter; the others take the defaults."""
        chosen = {}
        for number in range(1, 5):
            opens, closes = self.cleaned_data.get(f"q{number}_opens"), self.cleaned_data.get(f"q{number}_closes")
            if opens and closes:
                chosen[number] = (opens, closes)
        return chosen
