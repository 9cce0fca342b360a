"""Forms for the evaluator's actions and the review queue's filters. They
check the shape of the input; the rules (who, which state, reasons) are in
services.py so that no route goes around them."""

from decimal import Decimal

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators.dates import ThaiDateField, format_hint
from indicators.models import QUARTER_CHOICES, Agency, DistrictGroup, FiscalYear, QuarterResult
from indicators.text import thai_date
from projects.models import ProjectUpdate
from reports.models import Narrative

from .selectors import project_review
from .selectors.review import NEWEST_FIRST, OLDEST_FIRST, ORDERS, submitted_within
from .services import COMMENT_MAX_LENGTH, default_correct_by

TEXT_ERRORS = {
    "required": _("กรุณากรอกข้อมูลช่องนี้"),
    "max_length": _("ข้อความยาวเกินที่กำหนด"),
}


class ReviewActionForm(forms.Form):
    """Every action carries the version of the quarter the evaluator saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, error_messages={
        "required": _("ไม่พบเลขฉบับของข้อมูล กรุณาเปิดหน้านี้ใหม่"),
        "invalid": _("ไม่พบเลขฉบับของข้อมูล กรุณาเปิดหน้านี้ใหม่"),
    })


class AcceptForm(ReviewActionForm):
    pass


class FinalScoreForm(ReviewActionForm):
    score = forms.DecimalField(
        label=_("คะแนน 2.2 (0–100)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
        error_messages={
            "required": _("กรุณาระบุคะแนน 2.2"),
            "invalid": _("คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "min_value": _("คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_value": _("คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_digits": _("คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_whole_digits": _("คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_decimal_places": _("คะแนน 2.2 มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        },
    )
    reason = forms.CharField(
        label=_("เหตุผล (จำเป็นเมื่อคะแนน 2.2 ต่างจาก 2.1)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=TEXT_ERRORS,
    )


class CorrectionWindowMixin(forms.Form):
    correct_by = ThaiDateField(label=_("ให้หน่วยงานแก้ไขได้ถึงวันที่"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = default_correct_by()
        field = self.fields["correct_by"]
        field.initial = default
        field.help_text = _("%(format)s · เว้นว่างเพื่อใช้ 14 วันนับจากวันนี้ (%(date)s)") % {
            "format": format_hint(), "date": thai_date(default, get_language()),
        }


class ReturnForm(ReviewActionForm, CorrectionWindowMixin):
    comment = forms.CharField(
        label=_("ความเห็นถึงหน่วยงาน (สิ่งที่ต้องแก้ไข)"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**TEXT_ERRORS, "required": _("กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข")},
    )
    field_order = ["version", "comment", "correct_by"]


class ReopenForm(ReviewActionForm, CorrectionWindowMixin):
    reason = forms.CharField(
        label=_("เหตุผลที่เปิดให้แก้ไขอีกครั้ง"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**TEXT_ERRORS, "required": _("กรุณาระบุเหตุผลที่เปิดให้แก้ไขอีกครั้ง")},
    )
    field_order = ["version", "reason", "correct_by"]


INDICATORS, PROJECTS = "indicators", "projects"
KIND_CHOICES = [(INDICATORS, _("ตัวชี้วัด")), (PROJECTS, _("โครงการ"))]


class ReviewQueueFilter(django_filters.FilterSet):
    # Indicator results and project updates wait in one queue; this keeps
    # one kind (ProjectQueueFilter reads the same choice for the projects).
    kind = django_filters.ChoiceFilter(label=_("ประเภท"), choices=KIND_CHOICES, method="filter_kind",
                                       empty_label=_("ทั้งหมด"))
    fiscal_year = django_filters.ModelChoiceFilter(
        label=_("ปีงบประมาณ"),
        field_name="indicator__fiscal_year",
        queryset=FiscalYear.objects.order_by("-year"),
        empty_label=_("ทุกปี"),
    )
    quarter = django_filters.ChoiceFilter(label=_("ไตรมาส"), choices=QUARTER_CHOICES, empty_label=_("ทุกไตรมาส"))
    agency = django_filters.ModelChoiceFilter(
        label=_("หน่วยงาน"),
        field_name="indicator__owner",
        queryset=Agency.objects.order_by("code"),
        empty_label=_("ทุกหน่วยงาน"),
    )
    district_group = django_filters.ModelChoiceFilter(
        label=_("กลุ่มเขต"),
        queryset=DistrictGroup.objects.all(),
        method="filter_district_group",
        empty_label=_("ทุกกลุ่มเขต"),
    )

    submitted = django_filters.ChoiceFilter(
        label=_("ส่งเมื่อ"),
        choices=[("1", _("วันนี้")), ("7", _("ภายใน 7 วัน")), ("30", _("ภายใน 30 วัน"))],
        method="filter_submitted",
        empty_label=_("ทุกวัน"),
    )
    order = django_filters.ChoiceFilter(
        label=_("เรียงตาม"),
        choices=[(OLDEST_FIRST, _("ส่งก่อนอยู่บน (รอนานที่สุดก่อน)")), (NEWEST_FIRST, _("ส่งล่าสุดอยู่บน"))],
        method="filter_order",
        empty_label=None,
    )

    class Meta:
        model = QuarterResult
        fields = ["kind", "fiscal_year", "quarter", "agency", "district_group"]

    def filter_kind(self, queryset, name, value):
        return queryset.none() if value == PROJECTS else queryset

    def filter_submitted(self, queryset, name, value):
        return submitted_within(queryset, int(value), timezone.localdate())

    def filter_order(self, queryset, name, value):
        return queryset.order_by(*ORDERS[value])

    def filter_district_group(self, queryset, name, value):
        """A district office of the group, or any indicator whose report for
        that quarter has a part for the group (like the seed's quarter 4)."""
        if not value:
            return queryset
        has_part = Narrative.objects.filter(
            indicator_id=OuterRef("indicator_id"), quarter=OuterRef("quarter"), district_group=value
        ).exclude(text="")
        return queryset.filter(Q(indicator__owner__district_group=value) | Q(Exists(has_part)))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"


class ProjectScoreForm(ReviewActionForm):
    """สยป.'s project score for the quarter, with its reason (both required)."""

    score = forms.DecimalField(
        label=_("คะแนนประเมินโครงการ (0–100)"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        max_digits=5,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100", "inputmode": "decimal"}),
        error_messages={
            "required": _("กรุณาระบุคะแนนประเมินโครงการ"),
            "invalid": _("คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "min_value": _("คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_value": _("คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_digits": _("คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_whole_digits": _("คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
            "max_decimal_places": _("คะแนนประเมินโครงการมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
        },
    )
    reason = forms.CharField(
        label=_("เหตุผลของคะแนน"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={**TEXT_ERRORS, "required": _("กรุณาระบุเหตุผลของคะแนน")},
    )


class ProjectQueueFilter(django_filters.FilterSet):
    """The queue's filters (ReviewQueueFilter's form, the same names) applied
    to the project updates waiting; only ReviewQueueFilter's form is shown."""

    kind = django_filters.ChoiceFilter(choices=KIND_CHOICES, method="filter_kind")
    fiscal_year = django_filters.ModelChoiceFilter(field_name="project__fiscal_year",
                                                   queryset=FiscalYear.objects.all())
    quarter = django_filters.ChoiceFilter(choices=QUARTER_CHOICES)
    agency = django_filters.ModelChoiceFilter(field_name="project__owner", queryset=Agency.objects.all())
    district_group = django_filters.ModelChoiceFilter(queryset=DistrictGroup.objects.all(),
                                                      method="filter_district_group")
    submitted = django_filters.ChoiceFilter(choices=[("1", "1"), ("7", "7"), ("30", "30")],
                                            method="filter_submitted")
    order = django_filters.ChoiceFilter(choices=[(OLDEST_FIRST, OLDEST_FIRST), (NEWEST_FIRST, NEWEST_FIRST)],
                                        method="filter_order")

    class Meta:
        model = ProjectUpdate
        fields = ["kind", "fiscal_year", "quarter", "agency", "district_group"]

    def filter_kind(self, queryset, name, value):
        return queryset.none() if value == INDICATORS else queryset

    def filter_submitted(self, queryset, name, value):
        return submitted_within(queryset, int(value), timezone.localdate())

    def filter_order(self, queryset, name, value):
        return queryset.order_by(*project_review.ORDERS[value])

    def filter_district_group(self, queryset, name, value):
        return project_review.in_district_group(queryset, value) if value else queryset
