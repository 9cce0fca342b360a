"""The "ประวัติการแก้ไข" of one indicator: every change to its own fields
(targets and definition, e.g. by an import), its quarterly results (value,
status, scores, comments), narratives and evidence, as who / when / old ->
new, read from the simple_history tables in four queries and compared row
by row in Python."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import formats
from indicators.models import Indicator, QuarterResult
from indicators.text import thai_date

from .models import Evidence, Narrative

TRACKED = {
    Indicator: ["name", "unit", "annual_target", "category", "weight", "aggregation", "direction", "decimal_places"],
    QuarterResult: ["value", "status", "target", "score_self", "score_confirmed", "reviewer_comment",
                    "score_reason", "reopened_until", "plausibility_confirmed"],
    Narrative: ["text"],
    Evidence: ["original_name", "removed_at"],
}
LONG_FIELDS = {"text", "reviewer_comment", "score_reason"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    long: bool = False


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    quarter: int | None
    subject: str
    action: str
    reason: str
    changes: list = field(default_factory=list)


def _display(record, name, indicator):
    value = getattr(record, name) if record is not None else None
    if value is None or value == "" or value is False:
        return ""
    if value is True:
        return _("ใช่")
    if name == "status":
        return str(QuarterResult.Status(value).label)
    if name == "aggregation":
        return str(Indicator.Aggregation(value).label)
    if name == "direction":
        return str(Indicator.Direction(value).label)
    if isinstance(value, Decimal):
        if name in ("target", "annual_target"):
            return formats.target(value, indicator.decimal_places)
        if name == "value":
            return formats.quantity(value, indicator.decimal_places)
        return formats.score(value)
    if isinstance(value, datetime):
        local = timezone.localtime(value)
        return f"{thai_date(local.date())} {local:%H:%M}"
    if isinstance(value, date):
        return thai_date(value)
    return str(value)


def _subject(model, record):
    if model is Indicator:
        return _("รายละเอียดตัวชี้วัด")
    if model is QuarterResult:
        return _("ผลงานและสถานะ")
    if model is Narrative:
        group = record.district_group
        return _("รายงานผล %(group)s") % {"group": group.name} if group else _("รายงานผล")
    return _("ไฟล์หลักฐาน “%(name)s”") % {"name": record.original_name}


def _who(record):
    user = record.history_user
    if user is None:
        return _("ระบบ")
    return user.get_full_name() or user.username


ACTIONS = {"+": gettext_lazy("สร้าง"), "~": gettext_lazy("แก้ไข"), "-": gettext_lazy("ลบ")}


def indicator_history(indicator, quarter: int | None = None) -> list[HistoryEntry]:
    """Entries newest first: the indicator's whole history (the history
    page), or one quarter's (the review page)."""
    rows = {"indicator_id": indicator.pk, **({"quarter": quarter} if quarter is not None else {})}
    querysets = {} if quarter is not None else {
        # Its own fields belong to no quarter: on the whole history only.
        Indicator: Indicator.history.filter(id=indicator.pk).select_related("history_user"),
    }
    querysets |= {
        QuarterResult: QuarterResult.history.filter(**rows).select_related("history_user"),
        Narrative: Narrative.history.filter(**rows).select_related("history_user", "district_group"),
        Evidence: Evidence.history.filter(**rows).select_related("history_user"),
    }
    entries = []
    for model, queryset in querysets.items():
        previous_by_object = {}
        for record in queryset.order_by("history_date", "history_id"):
            previous = previous_by_object.get(record.id)
            previous_by_object[record.id] = record
            changes = []
            for name in TRACKED[model]:
                old, new = _display(previous, name, indicator), _display(record, name, indicator)
                if old != new:
                    label = str(model._meta.get_field(name).verbose_name)
                    changes.append(FieldChange(label=label, old=old, new=new, long=name in LONG_FIELDS))
            if model is Evidence and record.history_type == "+":
                changes = [FieldChange(label=_("แนบไฟล์"), old="", new=record.original_name)]
            if model is Indicator and previous is None and not record.history_change_reason:
                continue  # typed in the admin: its fields are on the page

            if not changes:
                continue
            if model is Evidence and record.removed_at and (previous is None or previous.removed_at is None):
                action = _("ลบไฟล์")
            elif previous is None:
                action = str(ACTIONS["+"])
            else:
                action = str(ACTIONS.get(record.history_type, record.history_type))
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=_who(record),
                    quarter=getattr(record, "quarter", None),
                    subject=_subject(model, record),
                    action=action,
                    reason=record.history_change_reason or "",
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
