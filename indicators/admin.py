from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import data_sources
from .dates import ThaiDateField
from .models import (
    Agency,
    AgencyApprover,
    ApproverStandIn,
    DistrictGroup,
    FiscalYear,
    Indicator,
    Quarter,
    QuarterResult,
    StrategyNode,
)

# Windows and extensions are typed and shown as day/month/BE year (dates.py),
# like every date in the staff pages, not as the admin's Gregorian calendar.
THAI_DATES = {models.DateField: {"form_class": ThaiDateField}}


class QuarterWindowForm(forms.ModelForm):
    """A reporting window: both dates or neither, and it closes after it opens."""

    class Meta:
        model = Quarter
        fields = ["fiscal_year", "number", "opens_on", "closes_on"]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if (opens is None) != (closes is None):
            raise forms.ValidationError(_("กรุณากำหนดทั้งวันเปิดและวันปิดรายงาน หรือเว้นว่างทั้งสองช่อง"))
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("วันปิดรายงานต้องไม่ก่อนวันเปิดรายงาน"))
        return cleaned


class QuarterInline(admin.TabularInline):
    model = Quarter
    form = QuarterWindowForm
    formfield_overrides = THAI_DATES
    extra = 0


@admin.register(Quarter)
class QuarterAdmin(admin.ModelAdmin):
    """Reporting windows of every fiscal year on one page, editable in place."""

    form = QuarterWindowForm
    formfield_overrides = THAI_DATES
    list_display = ["fiscal_year", "number", "opens_on", "closes_on"]
    list_editable = ["opens_on", "closes_on"]
    list_filter = ["fiscal_year"]
    ordering = ["-fiscal_year__year", "number"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    # `published`: the year on the public site, open data and anonymous API.
    list_display = ["year", "scoring_scheme", "published", "agency_signoff"]
    list_editable = ["published"]
    inlines = [QuarterInline]


@admin.register(DistrictGroup)
class DistrictGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "kind", "district_group"]
    list_filter = ["kind", "district_group"]
    search_fields = ["code", "name", "short_name"]
    filter_horizontal = ["members"]


@admin.register(StrategyNode)
class StrategyNodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "title"]
    list_filter = ["level"]


class QuarterResultInline(admin.TabularInline):
    model = QuarterResult
    formfield_overrides = THAI_DATES
    extra = 0
    # reopened_until: an administrator reopens one indicator's quarter after its window closed.
    fields = ["quarter", "target", "value", "score_self", "score_confirmed", "status", "reopened_until"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "fiscal_year", "owner", "public_hidden"]
    list_filter = ["fiscal_year", "public_hidden", "owner"]
    search_fields = ["code", "name"]
    filter_horizontal = ["strategy_nodes"]
    inlines = [QuarterResultInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["data_sources"].help_text = _(
            "หนึ่งรายการต่อบรรทัด แต่ละรายการเป็นหลักฐานที่หน่วยงานต้องแนบในรายงานผลรายไตรมาส (ลำดับเลขใส่หรือไม่ใส่ก็ได้)")
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The evidence checklist follows the text, one item a line.
        data_sources.sync_items([obj.pk], user=request.user, reason=str(_("แก้ไขวิธีการการเก็บข้อมูล/แหล่งข้อมูล")))


@admin.register(AgencyApprover)
class AgencyApproverAdmin(SimpleHistoryAdmin):
    """Who signs off each agency's quarters (issue 24); the approver role
    follows these rows (signals.keep_approver_role)."""

    list_display = ["agency", "user"]
    list_filter = ["agency"]
    search_fields = ["agency__name", "agency__code", "user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["agency"]
    raw_id_fields = ["user"]


@admin.register(ApproverStandIn)
class ApproverStandInAdmin(SimpleHistoryAdmin):
    """An approver's stand-in for a date range (approvers name their own at /approvals/stand-ins/)."""

    formfield_overrides = THAI_DATES
    list_display = ["approver", "stand_in", "starts_on", "ends_on"]
    search_fields = ["approver__username", "stand_in__username"]
    raw_id_fields = ["approver", "stand_in"]
