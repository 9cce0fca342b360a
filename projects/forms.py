"""The project update form: what a reporter typed for one quarter, checked
and turned into services.UpdateChanges. Every message is Thai and sits next
to its field; a refused form saves nothing and gives back everything typed
(files must be chosen again). The rules themselves are services.assess and
projects/progress.py."""

from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.dates import ThaiDateField
from indicators.numbers import NotANumber, decimal_places_of, parse_decimal
from indicators.text import format_number
from web.evidence_files import (
    ACCEPT_ATTRIBUTE,
    checked_files,
    duplicate_refusal,
    known_contents,
)

from . import services

MAX_MONEY = Decimal(10) ** 12  # the model keeps 14 digits with 2 decimals


class NumberField(forms.CharField):
    """A number as people type it (Thai digits, thousands separators), at
    most two decimals, between `minimum` and `maximum`."""

    def __init__(self, *, maximum: Decimal, too_large: str, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)
        self.maximum, self.too_large = maximum, too_large

    def clean(self, value):
        text = super().clean(value)
        try:
            number = parse_decimal(text)
        except NotANumber as err:
            raise ValidationError(_("โปรดกรอกเป็นตัวเลข เช่น 1,234.50 หรือ ๑๒"), code="invalid") from err
        if number is None:
            return None
        if number < 0:
            raise ValidationError(_("ต้องไม่ติดลบ"), code="negative")
        if decimal_places_of(number) > 2:
            raise ValidationError(_("ทศนิยมได้ไม่เกิน 2 ตำแหน่ง"), code="decimals")
        if number > self.maximum:
            raise ValidationError(self.too_large, code="too_large")
        return number


def percent_field(label, **kwargs):
    return NumberField(label=label, maximum=Decimal(100), too_large=gettext_lazy("ร้อยละต้องไม่เกิน 100"), **kwargs)


def money_field(label):
    return NumberField(label=label, maximum=MAX_MONEY, too_large=gettext_lazy("จำนวนเงินมากเกินไป"))


class LongTextField(forms.CharField):
    """A long text: line endings normalised, at most LONG_TEXT_MAX_LENGTH
    characters, said (not cut) when longer, as the indicator narrative."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 5}))
        super().__init__(**kwargs)
        self.widget.attrs.update({
            "data-max-chars": str(settings.LONG_TEXT_MAX_LENGTH),
            "data-counter-text": _("{count} / {limit} ตัวอักษร"),
            "data-over-text": _("{count} / {limit} ตัวอักษร เกินกำหนด {over} ตัวอักษร โปรดตัดให้สั้นลงก่อนบันทึก"),
        })

    def to_python(self, value):
        return super().to_python(value).replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        limit = settings.LONG_TEXT_MAX_LENGTH
        if len(value) > limit:
            raise ValidationError(
                _("ข้อความยาว %(length)s ตัวอักษร เกินกำหนด %(limit)s ตัวอักษร โปรดตัดให้สั้นลง (ข้อความที่พิมพ์ยังอยู่ครบ)"),
                code="max_length", params={"length": format_number(len(value)), "limit": format_number(limit)},
            )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(uploaded, initial) for uploaded in files]


class ProjectUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    progress = percent_field(gettext_lazy("ความคืบหน้า (ร้อยละ)"))
    disbursed = money_field(gettext_lazy("เบิกจ่ายสะสม (บาท)"))
    planned_disbursement = money_field(gettext_lazy("แผนการเบิกจ่ายสะสม (บาท)"))
    # Typed in Buddhist Era (วว/ดด/ปปปป), as every date of the app.
    actual_start = ThaiDateField(label=gettext_lazy("วันเริ่มจริง"), required=False)
    actual_finish = ThaiDateField(label=gettext_lazy("วันสิ้นสุดจริง"), required=False)
    narrative = LongTextField(label=gettext_lazy("ผลการดำเนินงาน"), widget=forms.Textarea(attrs={"rows": 8}))
    problems = LongTextField(label=gettext_lazy("ปัญหาอุปสรรค"))
    delay_reason = LongTextField(label=gettext_lazy("เหตุผลที่ล่าช้ากว่าแผน"))
    confirm_warnings = forms.BooleanField(label=gettext_lazy("ยืนยันว่าถูกต้อง"), required=False)
    files = MultipleFileField(
        label=gettext_lazy("แนบไฟล์หลักฐาน"), required=False,
        help_text=gettext_lazy("PDF, รูปภาพ (JPG, PNG, GIF, WEBP), Word หรือ Excel ไฟล์ละไม่เกิน 10 MB เลือกได้หลายไฟล์"),
    )
    remove_evidence = forms.ModelMultipleChoiceField(
        label=gettext_lazy("ลบไฟล์หลักฐาน"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, state: services.QuarterState, submit=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.state = state
        self.submit = submit
        self.accepted_files: list[tuple] = []
        # The soft warnings of what is typed (or saved, before a post).
        self.warning_codes: list[str] = list(state.update.warnings) if state.update and not self.is_bound else []
        self.fields["remove_evidence"].queryset = state.evidence
        self.fields["remove_evidence"].label_from_instance = lambda e: e.original_name
        self.milestone_fields = []
        for milestone in state.milestones:
            name = f"milestone_{milestone.pk}"
            self.fields[name] = percent_field(
                _("%(name)s (น้ำหนัก %(weight)s) ร้อยละ") % {"name": milestone.name,
                                                            "weight": f"{milestone.weight.normalize():f}"})
            self.milestone_fields.append((name, milestone))
        if state.milestones:
            # The project's progress is its activities' weighted sum.
            del self.fields["progress"]

    @property
    def warnings(self):
        return services.warning_texts(self.warning_codes)

    @property
    def milestone_bound_fields(self):
        return [self[name] for name, _milestone in self.milestone_fields]

    def clean_files(self):
        self.accepted_files, errors = checked_files(self.cleaned_data["files"])
        if errors:
            raise ValidationError(errors)
        return self.cleaned_data["files"]

    def _refuse_duplicates(self, cleaned):
        removed = {e.pk for e in cleaned.get("remove_evidence") or ()}
        seen = known_contents([e for e in self.state.evidence if e.pk not in removed])
        unique, errors = [], []
        for uploaded, content_type, digest in self.accepted_files:
            if digest in seen:
                errors.append(duplicate_refusal(uploaded.name or "", seen[digest]))
            else:
                seen[digest] = uploaded.name or ""
                unique.append((uploaded, content_type, digest))
        self.accepted_files = unique
        if errors:
            self.add_error("files", errors)

    def clean(self):
        cleaned = super().clean()
        if self.accepted_files:
            self._refuse_duplicates(cleaned)
        start, finish = cleaned.get("actual_start"), cleaned.get("actual_finish")
        if start and finish and start > finish:
            self.add_error("actual_finish", ValidationError(_("วันสิ้นสุดจริงต้องไม่ก่อนวันเริ่มจริง"), code="dates"))
        if self.submit:
            if "progress" in self.fields and cleaned.get("progress") is None and "progress" not in self.errors:
                self.add_error("progress", ValidationError(_("กรุณากรอกความคืบหน้าก่อนส่งรายงาน"), code="required"))
            for name, _milestone in self.milestone_fields:
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, ValidationError(_("กรุณากรอกความคืบหน้าของกิจกรรมนี้ก่อนส่งรายงาน"),
                                                         code="required"))
        # The rules need the numbers and the finish date; other fields'
        # errors do not hide the warnings (one round trip fewer).
        needed = {"progress", "disbursed", "actual_finish", "delay_reason", *(n for n, _m in self.milestone_fields)}
        if needed & set(self.errors):
            return cleaned
        assessment = services.assess(self.state, self.changes())
        if assessment.delay_refusal:
            self.add_error("delay_reason", ValidationError(assessment.delay_refusal, code="delay_reason"))
        self.warning_codes = assessment.warnings
        if assessment.warnings and not cleaned.get("confirm_warnings"):
            # A soft check: ticking the box lets the same update through.
            self.add_error("confirm_warnings", ValidationError(
                _("รายงานนี้มีข้อสังเกต (ดูด้านบน) โปรดตรวจอีกครั้ง หากถูกต้องให้ทำเครื่องหมาย "
                  "“ยืนยันว่าถูกต้อง” แล้วบันทึกอีกครั้ง"), code="warnings"))
        return cleaned

    def changes(self) -> services.UpdateChanges:
        data = self.cleaned_data
        return services.UpdateChanges(
            progress=data.get("progress"),
            milestone_percents={milestone.pk: data.get(name) for name, milestone in self.milestone_fields},
            disbursed=data.get("disbursed"),
            planned_disbursement=data.get("planned_disbursement"),
            narrative=data.get("narrative", ""),
            problems=data.get("problems", ""),
            delay_reason=data.get("delay_reason", ""),
            actual_start=data.get("actual_start"),
            actual_finish=data.get("actual_finish"),
            new_files=[(uploaded, content_type) for uploaded, content_type, _digest in self.accepted_files],
            remove_evidence_ids=[e.pk for e in data.get("remove_evidence") or ()],
            submit=self.submit,
            warnings_confirmed=bool(data.get("confirm_warnings")),
        )


def initial_for(state: services.QuarterState) -> dict:
    """The form's starting values: the saved update and the project's dates."""
    project, update = state.project, state.update
    initial = {"version": update.version if update else 0, "actual_start": project.actual_start,
               "actual_finish": project.actual_finish}
    if update is not None:
        if update.progress is not None:
            initial["progress"] = f"{update.progress:.2f}"
        for name in ("disbursed", "planned_disbursement"):
            value = getattr(update, name)
            # Baht as people read them (120,000.00): the field parses the separators back.
            initial[name] = None if value is None else format_number(value, 2)
        initial.update(narrative=update.narrative, problems=update.problems, delay_reason=update.delay_reason,
                       confirm_warnings=update.warnings_confirmed)
    for milestone in state.milestones:
        percent = state.percents.get(milestone.pk)
        if percent is not None:
            initial[f"milestone_{milestone.pk}"] = f"{percent:.2f}"
    return initial
