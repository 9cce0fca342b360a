from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import permissions, text
from reports.checklist import quarter_checklist

register = template.Library()


@register.filter
def may_report_on(user, indicator):
    return permissions.can_report_on(user, indicator)


@register.filter
def is_reporter(user):
    return permissions.has_role(user, permissions.REPORTER) or permissions.is_administrator(user)


@register.filter
def is_administrator(user):
    return permissions.is_administrator(user)


@register.filter
def evidence_for(indicator, quarter):
    """A quarter's current evidence from the list sheet.with_sheet_relations
    prefetched (active_evidence), so the detail page adds no query per quarter."""
    items = getattr(indicator, "active_evidence", None)
    if items is None:
        items = indicator.evidence.filter(removed_at__isnull=True).order_by("uploaded_at", "id")
    return [e for e in items if e.quarter == quarter]


@register.filter
def evidence_item_field(form, evidence_pk):
    """The report form's select of the checklist item of an attached file."""
    return form.evidence_item_field(evidence_pk)


@register.filter
def checklist_for(indicator, quarter):
    """A quarter's evidence checklist from what sheet.with_sheet_relations
    prefetched: no query."""
    return quarter_checklist(indicator, quarter)


@register.filter
def other_evidence(items):
    """The files attached to no checklist item (or to one since removed):
    the checklist shows the others beside their items."""
    return [e for e in items if e.item_id is None]


@register.filter
def quarter_row(sheet, number):
    return sheet.quarters[number - 1]


@register.filter
def filesize(size):
    if size is None:
        return ""
    if size < 1024 * 1024:
        return _("%(n)s KB") % {"n": max(1, round(size / 1024))}
    return _("%(n).1f MB") % {"n": size / (1024 * 1024)}


@register.filter
def thai_datetime(value):
    """29 ม.ค. 2563 14:05, in the local time zone."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{text.thai_date(local.date())} {local:%H:%M}"
