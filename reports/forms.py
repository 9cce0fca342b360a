"""The reports app's forms. The quarter report form checks what a reporter
typed and turns it into services.ReportChanges: every message is Thai and
sits next to its field; a form with any error saves nothing and gives back
everything typed. BookFilterForm chooses what a printed book holds."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import permissions, plausibility
from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator, StrategyNode
from indicators.numbers import NotANumber, decimal_places_of, parse_decimal
from indicators.text import format_number
from web.evidence_files import (
    ACCEPT_ATTRIBUTE,
    checked_files,
    duplicate_refusal,
    known_contents,
)

from . import checklist
from .models import PendingEvidence
from .selectors import Comparison
from .services import ReportChanges

# The model stores 20 digits with 4 decimals.
MAX_ABS_VALUE = 10**16


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Cleaning gives the list of uploads; the
    form checks each (QuarterReportForm.clean_files), so that the good
    ones can be kept while a bad one is refused by name."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(uploaded, initial) for uploaded in files]


class PendingChoiceField(forms.ModelMultipleChoiceField):
    """Files kept from an earlier refused post of this user (pending_evidence)."""

    def __init__(self, **kwargs):
        message = gettext_lazy("ไฟล์ที่แนบไว้ก่อนหน้านี้บางไฟล์หมดอายุแล้ว โปรดเลือกไฟล์อีกครั้ง")
        kwargs.setdefault("error_messages", {"invalid_choice": message, "invalid_pk_value": message,
                                             "invalid_list": message})
        super().__init__(queryset=PendingEvidence.objects.none(), required=False, **kwargs)


class LongTextField(forms.CharField):
    """A narrative: line endings normalised, at most LONG_TEXT_MAX_LENGTH
    characters. No maxlength attribute: a browser would cut a long paste
    silently, and we would rather say so and keep the text."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 8}))
        super().__init__(**kwargs)
        # For the live counter (static/js/char-counter.js); not maxlength, see above.
        self.widget.attrs.update({
            "data-max-chars": str(settings.LONG_TEXT_MAX_LENGTH),
            "data-counter-text": _("{count} / {limit} ตัวอักษร"),
            "data-over-text": _("{count} / {limit} ตัวอักษร เกินกำหนด {over} ตัวอักษร โปรดตัดให้สั้นลงก่อนบันทึก"),
        })

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        limit = settings.LONG_TEXT_MAX_LENGTH
        if len(value) > limit:
            raise ValidationError(
                _("ข้อความยาว %(length)s ตัวอักษร เกินกำหนด %(limit)s ตัวอักษร โปรดตัดให้สั้นลง (ข้อความที่พิมพ์ยังอยู่ครบ)"),
                code="max_length",
                params={"length": format_number(len(value)), "limit": format_number(limit)},
            )


class QuarterReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.CharField(
        label=gettext_lazy("ผลงาน"),
        required=False,
        # No autocomplete="off": it also stops the browser from giving the
        # typed value back when the user returns from an error page.
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    confirm_plausible = forms.BooleanField(label=gettext_lazy("ยืนยันว่าถูกต้อง"), required=False)
    narrative = LongTextField(label=gettext_lazy("รายงานผลการดำเนินงาน"))
    files = MultipleFileField(
        label=gettext_lazy("แนบไฟล์หลักฐาน"),
        required=False,
        help_text=gettext_lazy("PDF, รูปภาพ (JPG, PNG, GIF, WEBP), Word หรือ Excel ไฟล์ละไม่เกิน 10 MB เลือกได้หลายไฟล์"),
    )
    remove_evidence = forms.ModelMultipleChoiceField(
        label=gettext_lazy("ลบไฟล์หลักฐาน"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    # The template draws these two for the files in its `pending_files`.
    pending = PendingChoiceField(widget=forms.MultipleHiddenInput)
    drop_pending = PendingChoiceField(widget=forms.CheckboxSelectMultiple)
    # The checklist item the files chosen now are evidence of (empty: other).
    files_item = forms.TypedChoiceField(label=gettext_lazy("เป็นหลักฐานของรายการ"), required=False, coerce=int,
                                        empty_value=None)
    confirm_missing_evidence = forms.BooleanField(label=gettext_lazy("ยืนยันส่งโดยยังไม่มีหลักฐานครบ"), required=False)

    def __init__(self, *args, indicator, comparison=None, evidence=None, pending=None, submit=False,
                 items=(), waivers=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The checklist (indicators.DataSourceItem) and this quarter's waivers.
        self.items = list(items)
        self.waivers = {waiver.item_id: waiver for waiver in waivers}
        # The items with no file and no waiver once this post is saved (clean).
        self.missing_items: list = []
        self.waived_reasons: dict[int, str] = {}
        self._add_checklist_fields(evidence)
        # Uploads that passed the checks, as (file, MIME type, content hash):
        # kept as pending by the view when the form is refused.
        self.accepted_files: list[tuple] = []
        if pending is not None:
            self.fields["pending"].queryset = pending
            self.fields["drop_pending"].queryset = pending
        self.indicator = indicator
        # What the typed result is checked against (selectors.comparison_for).
        self.comparison = comparison or Comparison(target=indicator.annual_target)
        self.submit = submit
        # The plausibility warnings of the typed result, once cleaned.
        self.plausibility_flags: list[plausibility.Flag] = []
        self.fields["value"].label = _("ผลงาน (%(unit)s)") % {"unit": indicator.unit}
        self.fields["value"].help_text = self._value_help()
        self.fields["remove_evidence"].queryset = evidence
        self.fields["remove_evidence"].label_from_instance = lambda e: e.original_name
        self.group_fields = []
        if indicator.reports_by_district_group:
            self.fields["narrative"].label = _("รายงานผลการดำเนินงาน (ภาพรวม)")
            for group in DistrictGroup.objects.order_by("order", "name"):
                name = f"narrative_group_{group.pk}"
                self.fields[name] = LongTextField(
                    label=_("รายงานผล %(group)s") % {"group": group.name},
                    widget=forms.Textarea(attrs={"rows": 5}),
                )
                self.group_fields.append((name, group.pk))
        if not self.is_bound and self.initial.get("value") is not None:
            # The saved result's warnings, so that a box ticked when it was
            # confirmed says what it confirmed (and a result no longer
            # unusual shows no box).
            self.plausibility_flags = self._plausibility_flags(self.initial["value"])

    def _add_checklist_fields(self, evidence):
        """A select of items beside the file input and beside every attached
        file, and per item a "not applicable" box with its reason."""
        choices = [("", _("อื่น ๆ"))] + [(item.pk, item.text) for item in self.items]
        self.fields["files_item"].choices = choices
        self.evidence_item_fields = {}
        self.files_by_item: dict[int | None, list] = {}
        for evidence_file in evidence if evidence is not None else ():
            self.files_by_item.setdefault(evidence_file.item_id, []).append(evidence_file)
            name = f"evidence_item_{evidence_file.pk}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("รายการหลักฐานของไฟล์ %(name)s") % {"name": evidence_file.original_name},
                choices=choices, required=False, coerce=int, empty_value=None, initial=evidence_file.item_id,
            )
            self.evidence_item_fields[evidence_file.pk] = name
        for item in self.items:
            waiver = self.waivers.get(item.pk)
            self.fields[f"waive_{item.pk}"] = forms.BooleanField(
                label=_("ไม่เกี่ยวข้อง"), required=False, initial=waiver is not None)
            self.fields[f"waive_reason_{item.pk}"] = forms.CharField(
                label=_("เหตุผลที่ไม่เกี่ยวข้อง"), required=False, max_length=1000,
                initial=waiver.reason if waiver else "", widget=forms.TextInput())

    def checklist_rows(self):
        """Per item, for the template: the item, its saved files, and its
        "not applicable" box and reason (bound fields)."""
        return [{"item": item, "files": self.files_by_item.get(item.pk, []), "waive": self[f"waive_{item.pk}"],
                 "reason": self[f"waive_reason_{item.pk}"]} for item in self.items]

    def chosen_files_item(self):
        """The item chosen for the files of this post, when it is one of the
        indicator's (None: other)."""
        chosen = getattr(self, "cleaned_data", {}).get("files_item")
        return chosen if chosen in {item.pk for item in self.items} else None

    def evidence_item_field(self, evidence_pk):
        name = self.evidence_item_fields.get(evidence_pk)
        return self[name] if name else None

    def _clean_checklist(self, cleaned):
        """Waivers need a reason; the items still missing once this post is
        saved; a submit with missing items asks for confirmation once."""
        waived = {}
        for item in self.items:
            if not cleaned.get(f"waive_{item.pk}"):
                continue
            reason = (cleaned.get(f"waive_reason_{item.pk}") or "").strip()
            if not reason:
                self.add_error(f"waive_reason_{item.pk}", ValidationError(
                    _("โปรดระบุเหตุผลที่รายการ “%(item)s” ไม่เกี่ยวข้อง"), code="waiver_reason",
                    params={"item": item.text}))
            waived[item.pk] = reason
        self.waived_reasons = waived
        removed = {e.pk for e in cleaned.get("remove_evidence") or ()}
        saved_items = {e.pk: e.item_id for files in self.files_by_item.values() for e in files}
        covered = [cleaned.get(name) if self.add_prefix(name) in self.data else saved_items[pk]
                   for pk, name in self.evidence_item_fields.items() if pk not in removed]
        covered += [p.item_id for p in self.kept_pending()]
        if self.accepted_files:
            covered.append(cleaned.get("files_item"))
        self.missing_items = checklist.missing_items(self.items, covered, waived)
        if self.submit and self.missing_items and not cleaned.get("confirm_missing_evidence"):
            self.add_error("confirm_missing_evidence", ValidationError(
                _("ยังไม่มีหลักฐานของ %(items)s หากต้องการส่งโดยยังไม่มีหลักฐานครบ ให้ทำเครื่องหมาย "
                  "“ยืนยันส่งโดยยังไม่มีหลักฐานครบ” แล้วส่งอีกครั้ง หรือแนบไฟล์ หรือระบุว่าไม่เกี่ยวข้องพร้อมเหตุผล"),
                code="missing_evidence", params={"items": ", ".join(i.text for i in self.missing_items)},
            ))

    def _plausibility_flags(self, value):
        comparison = self.comparison
        return plausibility.check(
            value=value, target=comparison.target, unit=self.indicator.unit,
            aggregation=self.indicator.aggregation, places=self.indicator.decimal_places,
            previous_value=comparison.previous_value, previous_target=comparison.previous_target,
        )

    @property
    def group_bound_fields(self):
        return [self[name] for name, _group_id in self.group_fields]

    def _value_help(self):
        indicator = self.indicator
        parts = [
            _("ทศนิยมไม่เกิน %(n)s ตำแหน่ง") % {"n": indicator.decimal_places}
            if indicator.decimal_places
            else _("จำนวนเต็ม")
        ]
        if indicator.aggregation == Indicator.Aggregation.CUMULATIVE:
            parts.append(_("ผลสะสมตั้งแต่ต้นปีงบประมาณ"))
        parts.append(_("พิมพ์เลขไทยหรือมีเครื่องหมายคั่นหลักพันได้"))
        return " · ".join(parts)

    def clean_value(self):
        raw = self.cleaned_data["value"]
        try:
            value = parse_decimal(raw)
        except NotANumber as err:
            raise ValidationError(_("โปรดกรอกผลงานเป็นตัวเลข เช่น 1,234 หรือ ๑๒"), code="invalid") from err
        if value is None:
            return None
        if value < 0 and not self.indicator.allows_negative:
            raise ValidationError(_("ผลงานของตัวชี้วัดนี้ต้องไม่ติดลบ"), code="negative")
        places = self.indicator.decimal_places
        if decimal_places_of(value) > places:
            if places == 0:
                raise ValidationError(_("ตัวชี้วัดนี้รับผลงานเป็นจำนวนเต็มเท่านั้น"), code="decimals")
            raise ValidationError(
                _("ตัวชี้วัดนี้รับทศนิยมได้ไม่เกิน %(n)s ตำแหน่ง"), code="decimals", params={"n": places}
            )
        if abs(value) >= MAX_ABS_VALUE:
            raise ValidationError(_("ตัวเลขมากเกินไป"), code="too_large")
        return value

    def clean_files(self):
        self.accepted_files, errors = checked_files(self.cleaned_data["files"])
        if errors:
            raise ValidationError(errors)
        return [(uploaded, content_type) for uploaded, content_type, _digest in self.accepted_files]

    def _refuse_duplicates(self, cleaned):
        """The same content twice on one quarter: already attached, kept
        from the refused post before, or chosen twice now."""
        removed = {e.pk for e in cleaned.get("remove_evidence") or ()}
        evidence = self.fields["remove_evidence"].queryset
        attached = [e for e in evidence if e.pk not in removed] if evidence is not None else []
        seen = known_contents(attached)
        for pending in self.kept_pending():
            seen.setdefault(pending.content_hash, pending.original_name)
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

    def kept_pending(self):
        """The pending files this post keeps (sent back, not dropped)."""
        data = getattr(self, "cleaned_data", {})
        dropped = {p.pk for p in data.get("drop_pending") or ()}
        return [p for p in data.get("pending") or () if p.pk not in dropped]

    def dropped_pending(self):
        data = getattr(self, "cleaned_data", {})
        return list(data.get("drop_pending") or ())

    def clean(self):
        cleaned = super().clean()
        if self.accepted_files:
            self._refuse_duplicates(cleaned)
        value = cleaned.get("value")
        if self.submit and value is None and "value" not in self.errors:
            self.add_error("value", ValidationError(_("กรุณากรอกผลงานก่อนส่งผลการดำเนินงาน"), code="required"))
        if value is not None and "value" not in self.errors:
            self.plausibility_flags = self._plausibility_flags(value)
        self._clean_checklist(cleaned)
        if self.plausibility_flags and not cleaned.get("confirm_plausible"):
            # A soft check: ticking the box lets the same result through.
            self.add_error("confirm_plausible", ValidationError(
                _("ผลงานนี้ดูผิดปกติ (ดูข้อสังเกตด้านบน) โปรดตรวจอีกครั้ง หากถูกต้องให้ทำเครื่องหมาย "
                  "“ยืนยันว่าถูกต้อง” แล้วบันทึกอีกครั้ง"),
                code="plausibility",
            ))
        return cleaned

    def changes(self):
        data = self.cleaned_data
        narratives = {None: data["narrative"]}
        for name, group_id in self.group_fields:
            narratives[group_id] = data[name]
        valid_items = {item.pk for item in self.items}
        # Only the selects posted: a client that sends none moves no file.
        evidence_items = {pk: data.get(name) for pk, name in self.evidence_item_fields.items()
                          if self.add_prefix(name) in self.data}
        return ReportChanges(
            new_files_item_id=self.chosen_files_item(),
            evidence_items={pk: item for pk, item in evidence_items.items() if item is None or item in valid_items},
            waivers=self.waived_reasons,
            value=data["value"],
            narratives=narratives,
            new_files=[(uploaded, content_type) for uploaded, content_type, _digest in self.accepted_files],
            pending_files=self.kept_pending(),
            remove_evidence_ids=[e.pk for e in data["remove_evidence"]],
            submit=self.submit,
            plausibility_flags=[flag.as_stored() for flag in self.plausibility_flags],
            plausibility_confirmed=bool(self.plausibility_flags and data.get("confirm_plausible")),
        )


class BookFilterForm(forms.Form):
    """Which indicators go into a book: a fiscal year, narrowed by any of an
    agency, a district group and a strategy dimension (none: the whole
    year). A district office outside the chosen district group is refused
    with a Thai message; printing.book_queryset applies the rest."""

    year = forms.ModelChoiceField(
        label=gettext_lazy("ปีงบประมาณ"), queryset=FiscalYear.objects.all(), to_field_name="year", empty_label=None
    )
    agency = forms.ModelChoiceField(label=gettext_lazy("หน่วยงาน"), queryset=Agency.objects.all(), to_field_name="code",
                                    required=False, empty_label=gettext_lazy("ทุกหน่วยงาน"))
    district_group = forms.ModelChoiceField(
        label=gettext_lazy("กลุ่มเขต"), queryset=DistrictGroup.objects.all(), to_field_name="code", required=False,
        empty_label=gettext_lazy("ทุกกลุ่มเขต"),
    )
    dimension = forms.ModelChoiceField(
        label=gettext_lazy("ด้านยุทธศาสตร์"),
        queryset=StrategyNode.objects.filter(level=StrategyNode.Level.DIMENSION),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("ทุกด้านยุทธศาสตร์"),
    )
    with_projects = forms.BooleanField(
        label=gettext_lazy("รวมโครงการที่สนับสนุนต่อท้ายแต่ละตัวชี้วัด"), required=False,
        help_text=gettext_lazy("พิมพ์รายละเอียดโครงการ/กิจกรรมที่ท่านดูได้ ต่อจากรายละเอียดของตัวชี้วัดที่โครงการนั้นสนับสนุน"),
    )

    FILTERS = ("agency", "district_group", "dimension")
    # Not filters: how the book is made. Kept in the job's parameters too.
    OPTIONS = ("with_projects",)

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
        agency, group = cleaned.get("agency"), cleaned.get("district_group")
        if agency and group and agency.district_group_id != group.pk:
            raise forms.ValidationError(
                gettext_lazy("%(agency)s ไม่อยู่ใน%(group)s โปรดเลือกหน่วยงานหรือกลุ่มเขตใหม่ "
                             "(หรือเลือกทุกหน่วยงานเพื่อพิมพ์ทั้งกลุ่มเขต)"),
                code="agency_outside_group", params={"agency": agency.name, "group": group.name},
            )
        return cleaned

    def chosen(self):
        """{field name: object} of the filters chosen (empty: the whole year)."""
        if not self.is_valid():
            raise ValueError("form is not valid")
        return {name: self.cleaned_data[name] for name in self.FILTERS if self.cleaned_data.get(name)}


class ProjectBookForm(forms.Form):
    """A project book: the projects of one agency in one fiscal year. The
    agency is offered among the user's own (all of them for those who read
    everything); another still validates, so the view refuses it with 403
    (project_printing.books.project_book_selection)."""

    prefix = "project_book"

    year = forms.ModelChoiceField(
        label=gettext_lazy("ปีงบประมาณ"), queryset=FiscalYear.objects.all(), to_field_name="year", empty_label=None
    )
    agency = forms.ModelChoiceField(label=gettext_lazy("หน่วยงาน"), queryset=Agency.objects.all(), to_field_name="code",
                                    empty_label=gettext_lazy("เลือกหน่วยงาน"),
                                    error_messages={"required": gettext_lazy("กรุณาเลือกหน่วยงาน")})

    FIELDS = ("year", "agency")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not permissions.reads_everything(user):
            self.fields["agency"].widget.choices = [("", self.fields["agency"].empty_label)] + [
                (agency.code, str(agency))
                for agency in Agency.objects.filter(id__in=permissions.agency_ids_of(user))
            ]

    def job_params(self):
        """The form's data as the job keeps it (the job checks it again when it runs)."""
        return {"year": str(self.cleaned_data["year"].year), "agency": self.cleaned_data["agency"].code}
