"""The audit log: every recorded change, read as ONE union over the
simple-history tables, the role changes and django-axes' sign-in logs, with
only the columns a row of the list needs (the source, when, who, agency,
fiscal year, quarter, which object, which history row, the change and its
reason), ordered by date and sliced for the page in the database. The page's
own rows are then loaded (objects, the previous history rows and the field
diffs, names of people and agencies) in a fixed number of queries, whatever
the size of the tables."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import permissions
from indicators.models import Agency, AgencyApprover, ApproverStandIn, Indicator, QuarterResult
from indicators.text import thai_date
from projects.models import Milestone, MilestoneProgress, Project, ProjectEvidence, ProjectUpdate
from reports.models import Evidence, Narrative

from .models import RoleChange

AnyUser = AbstractBaseUser | AnonymousUser

# The kinds of change, as the filter and the list name them.
RESULT, NARRATIVE, EVIDENCE, INDICATOR = "result", "narrative", "evidence", "indicator"
PROJECT, MILESTONE, PROJECT_UPDATE, APPROVER = "project", "milestone", "project_update", "approver"
ROLE, SIGN_IN, SIGN_IN_FAILED, LOCKED_OUT = "role", "sign_in", "sign_in_failed", "locked_out"
KINDS: dict[str, Promise] = {
    RESULT: gettext_lazy("ผลรายไตรมาส"),
    NARRATIVE: gettext_lazy("รายงานผล"),
    EVIDENCE: gettext_lazy("หลักฐาน"),
    INDICATOR: gettext_lazy("ตัวชี้วัด"),
    PROJECT: gettext_lazy("โครงการ"),
    MILESTONE: gettext_lazy("กิจกรรม"),
    PROJECT_UPDATE: gettext_lazy("ความคืบหน้าโครงการ"),
    APPROVER: gettext_lazy("ผู้อนุมัติ"),
    ROLE: gettext_lazy("สิทธิ์ผู้ใช้"),
    SIGN_IN: gettext_lazy("เข้าสู่ระบบ"),
    SIGN_IN_FAILED: gettext_lazy("เข้าสู่ระบบไม่สำเร็จ"),
    LOCKED_OUT: gettext_lazy("ถูกล็อก"),
}
ROLE_LABELS: dict[str, Promise] = {
    permissions.REPORTER: gettext_lazy("เจ้าหน้าที่หน่วยงาน"),
    permissions.EVALUATOR: gettext_lazy("ผู้ตรวจประเมิน"),
    permissions.MANAGER: gettext_lazy("ผู้บริหาร"),
    permissions.ADMINISTRATOR: gettext_lazy("ผู้ดูแลระบบ"),
    permissions.APPROVER: gettext_lazy("ผู้อนุมัติของหน่วยงาน"),
}
CHANGE_SIGNS = {"+": "+", "~": "~", "-": "−"}
CHANGE_LABELS = {"+": gettext_lazy("สร้าง"), "~": gettext_lazy("แก้ไข"), "-": gettext_lazy("ลบ")}
# Fields whose change says nothing to a reader: the concurrency counter and
# who-did-it columns (the row's "who" says it).
NOISE = {"version", "updated_by", "submitted_by", "reviewed_by", "uploaded_by", "removed_by", "file",
         "content_type", "size"}
PAGE_SIZE = 50

COLUMNS = ("a_source", "a_at", "a_user", "a_username", "a_agency", "a_year", "a_quarter", "a_object",
           "a_row", "a_change", "a_reason")


def _null(output: models.Field) -> Cast:
    """A typed NULL, so that PostgreSQL agrees on each column's type across the union."""
    return Cast(Value(None), output)


def _int_null() -> Cast:
    return _null(models.IntegerField())


def _text_null() -> Cast:
    return _null(models.CharField(max_length=255))


@dataclass(frozen=True)
class Source:
    """One table the log reads: its kind of change and how its rows give
    the union's columns."""

    key: str
    kind: str
    rows: Callable[[], QuerySet[Any]]  # the table's rows, annotated with COLUMNS
    by_username: bool = False  # django-axes rows name the person by username only


def _history(model: type[models.Model], key: str, *, agency: Any, year: Any,
             quarter: Any = None) -> Callable[[], QuerySet[Any]]:
    def rows() -> QuerySet[Any]:
        return model.history.annotate(  # type: ignore[attr-defined]
            a_source=Value(key, output_field=models.CharField()),
            a_at=F("history_date"),
            a_user=F("history_user_id"),
            a_username=_text_null(),
            a_agency=F(agency) if agency else _int_null(),
            a_year=F(year) if year else _int_null(),
            a_quarter=F(quarter) if quarter else _int_null(),
            a_object=F("id"),
            a_row=F("history_id"),
            a_change=F("history_type"),
            a_reason=F("history_change_reason"),
        )
    return rows


def _role_rows() -> QuerySet[Any]:
    return RoleChange.objects.annotate(
        a_source=Value(ROLE, output_field=models.CharField()), a_at=F("at"), a_user=F("actor_id"),
        a_username=_text_null(), a_agency=_int_null(), a_year=_int_null(), a_quarter=_int_null(),
        a_object=F("user_id"), a_row=F("pk"), a_change=F("action"), a_reason=_text_null(),
    )


def _axes(model: type[models.Model], key: str, **where: Any) -> Callable[[], QuerySet[Any]]:
    def rows() -> QuerySet[Any]:
        return model.objects.filter(**where).annotate(  # type: ignore[attr-defined]
            a_source=Value(key, output_field=models.CharField()), a_at=F("attempt_time"), a_user=_int_null(),
            a_username=F("username"), a_agency=_int_null(), a_year=_int_null(), a_quarter=_int_null(),
            a_object=_int_null(), a_row=F("pk"), a_change=_text_null(), a_reason=_text_null(),
        )
    return rows


SOURCES: dict[str, Source] = {source.key: source for source in (
    Source("result", RESULT, _history(QuarterResult, "result", agency="indicator__owner_id",
                                      year="indicator__fiscal_year__year", quarter="quarter")),
    Source("narrative", NARRATIVE, _history(Narrative, "narrative", agency="indicator__owner_id",
                                            year="indicator__fiscal_year__year", quarter="quarter")),
    Source("evidence", EVIDENCE, _history(Evidence, "evidence", agency="indicator__owner_id",
                                          year="indicator__fiscal_year__year", quarter="quarter")),
    Source("project_evidence", EVIDENCE, _history(ProjectEvidence, "project_evidence", agency="project__owner_id",
                                                  year="project__fiscal_year__year", quarter="quarter")),
    Source("indicator", INDICATOR, _history(Indicator, "indicator", agency="owner_id", year="fiscal_year__year")),
    Source("project", PROJECT, _history(Project, "project", agency="owner_id", year="fiscal_year__year")),
    Source("milestone", MILESTONE, _history(Milestone, "milestone", agency="project__owner_id",
                                            year="project__fiscal_year__year")),
    Source("project_update", PROJECT_UPDATE, _history(ProjectUpdate, "project_update", agency="project__owner_id",
                                                      year="project__fiscal_year__year", quarter="quarter")),
    Source("milestone_progress", PROJECT_UPDATE, _history(
        MilestoneProgress, "milestone_progress", agency="update__project__owner_id",
        year="update__project__fiscal_year__year", quarter="update__quarter")),
    Source("approver", APPROVER, _history(AgencyApprover, "approver", agency="agency_id", year=None)),
    Source("stand_in", APPROVER, _history(ApproverStandIn, "stand_in", agency=None, year=None)),
    Source("role", ROLE, _role_rows),
    Source("sign_in", SIGN_IN, _axes(AccessLog, "sign_in"), by_username=True),
    Source("sign_in_failed", SIGN_IN_FAILED, _axes(AccessFailureLog, "sign_in_failed", locked_out=False),
           by_username=True),
    Source("locked_out", LOCKED_OUT, _axes(AccessFailureLog, "locked_out", locked_out=True), by_username=True),
)}

HISTORY_MODELS: dict[str, type[models.Model]] = {
    "result": QuarterResult, "narrative": Narrative, "evidence": Evidence, "project_evidence": ProjectEvidence,
    "indicator": Indicator, "project": Project, "milestone": Milestone, "project_update": ProjectUpdate,
    "milestone_progress": MilestoneProgress, "approver": AgencyApprover, "stand_in": ApproverStandIn,
}
# What each history source's rows need to name their object.
RELATED: dict[str, tuple[str, ...]] = {
    "result": ("indicator__fiscal_year",), "narrative": ("indicator__fiscal_year", "district_group"),
    "evidence": ("indicator__fiscal_year",), "project_evidence": ("project__fiscal_year",),
    "indicator": ("fiscal_year",), "project": ("fiscal_year",), "milestone": ("project__fiscal_year",),
    "project_update": ("project__fiscal_year",), "milestone_progress": ("update__project__fiscal_year", "milestone"),
    "approver": ("agency", "user"), "stand_in": ("approver", "stand_in"),
}


@dataclass(frozen=True)
class Filters:
    """What the log is narrowed to (every part optional)."""

    person: Any = None  # a user
    agency_id: int | None = None
    year: int | None = None
    quarter: int | None = None
    kind: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def entries(filters: Filters) -> QuerySet[Any]:
    """The log's rows as dicts of COLUMNS, newest first: one SQL query when
    sliced, one more to count."""
    parts = []
    for source in SOURCES.values():
        if filters.kind and source.kind != filters.kind:
            continue
        rows = source.rows()
        if filters.person is not None:
            rows = (rows.filter(a_username=filters.person.get_username()) if source.by_username
                    else rows.filter(a_user=filters.person.pk))
        if filters.agency_id is not None:
            rows = rows.filter(a_agency=filters.agency_id)
        if filters.year is not None:
            rows = rows.filter(a_year=filters.year)
        if filters.quarter is not None:
            rows = rows.filter(a_quarter=filters.quarter)
        if filters.date_from is not None:
            rows = rows.filter(a_at__gte=_start_of(filters.date_from))
        if filters.date_to is not None:
            rows = rows.filter(a_at__lt=_start_of(filters.date_to + datetime.timedelta(days=1)))
        parts.append(rows.order_by().values(*COLUMNS))
    first, rest = parts[0], parts[1:]
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-a_at", "-a_row", "a_source")


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    """One row of the log as the page and the export show it."""

    at: datetime.datetime
    kind: str
    kind_label: str
    who: str
    agency: str
    year: int | None
    quarter: int | None
    subject: str
    url: str
    change: str  # "+", "~", "−" or "" (sign-ins)
    change_label: str
    changes: list[FieldChange] = field(default_factory=list)
    reason: str = ""

    @property
    def when(self) -> str:
        local = timezone.localtime(self.at)
        return f"{thai_date(local.date())} {local:%H:%M:%S}"

    def change_text(self) -> str:
        """The change as one line of text (the export)."""
        parts = [f"{self.change} {self.change_label}".strip()]
        parts += [f"{c.label}: {c.old or '-'} → {c.new or '-'}" for c in self.changes]
        return "\n".join(part for part in parts if part)


def _display(value: Any, model_field: models.Field, names: dict[tuple[str, int], str]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model
        key = ("user" if related is get_user_model() else "agency" if related is Agency else "", value)
        return names.get(key, f"#{value}")
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if value is True:
        return _("ใช่")
    if value is False:
        return _("ไม่ใช่")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{thai_date(local.date())} {local:%H:%M}"
    if isinstance(value, datetime.date):
        return thai_date(value)
    return str(value)


def _load_history(rows: Sequence[dict[str, Any]]) -> tuple[dict[tuple[str, int], Any], dict[tuple[str, int], Any]]:
    """The page's history records and the records before them, by (source,
    history id): two queries per source present on the page."""
    records: dict[tuple[str, int], Any] = {}
    previous: dict[tuple[str, int], Any] = {}
    wanted: dict[str, list[int]] = {}
    for row in rows:
        if row["a_source"] in HISTORY_MODELS:
            wanted.setdefault(row["a_source"], []).append(row["a_row"])
    for key, ids in wanted.items():
        history = HISTORY_MODELS[key].history  # type: ignore[attr-defined]
        before = history.filter(id=OuterRef("id"), history_id__lt=OuterRef("history_id")).order_by("-history_id")
        found = list(history.filter(history_id__in=ids).select_related(*RELATED[key])
                     .annotate(previous_row=Subquery(before.values("history_id")[:1])))
        earlier = {record.previous_row for record in found if record.previous_row is not None}
        by_id = {record.history_id: record for record in history.filter(history_id__in=earlier)} if earlier else {}
        for record in found:
            records[key, record.history_id] = record
            if record.previous_row is not None:
                previous[key, record.history_id] = by_id.get(record.previous_row)
    return records, previous


def _diff(record: Any, before: Any) -> list[tuple[models.Field, Any, Any]]:
    """(field, old, new) for each field the change touched, in the model's
    order (simple-history's diff_against, editable fields only)."""
    if before is None:
        return []
    delta = record.diff_against(before, excluded_fields=NOISE)
    order = {f.name: i for i, f in enumerate(record.instance_type._meta.fields)}
    return [(record.instance_type._meta.get_field(change.field), change.old, change.new)
            for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0))]


def _indicator_link(indicator: Any) -> str:
    if indicator is None:
        return ""
    return reverse("indicators:detail", args=[indicator.fiscal_year.year, indicator.code])


def _project_link(project: Any) -> str:
    if project is None:
        return ""
    return reverse("projects:detail", args=[project.fiscal_year.year, project.code])


def _subject(key: str, record: Any, row: dict[str, Any], viewer: AnyUser,
             names: dict[tuple[str, int], str]) -> tuple[str, str]:
    """What changed, and the link to it when the viewer may open it
    (evaluators and administrators read every indicator and project)."""
    opens = permissions.reads_everything(viewer)  # type: ignore[arg-type]
    quarter = row["a_quarter"]
    q = _(" ไตรมาส %(q)s") % {"q": quarter} if quarter else ""
    if key in ("result", "narrative", "evidence"):
        indicator = record.indicator
        code = indicator.code if indicator else f"#{record.indicator_id}"
        text = f"{code}{q}"
        if key == "narrative" and record.district_group:
            text += f" {record.district_group.name}"
        if key == "evidence":
            text += f" “{record.original_name}”"
        return text, _indicator_link(indicator) if opens else ""
    if key == "indicator":
        url = reverse("indicators:detail", args=[record.fiscal_year.year, record.code]) if record.fiscal_year else ""
        return f"{record.code} {record.name}", url if opens and row["a_change"] != "-" else ""
    if key == "project":
        url = reverse("projects:detail", args=[record.fiscal_year.year, record.code]) if record.fiscal_year else ""
        return f"{record.code} {record.name}", url if opens and row["a_change"] != "-" else ""
    if key in ("milestone", "project_update", "project_evidence", "milestone_progress"):
        project = record.update.project if key == "milestone_progress" and record.update else getattr(
            record, "project", None)
        code = project.code if project else "-"
        text = f"{code}{q}"
        if key == "milestone":
            text = f"{code} {record.name}"
        elif key == "milestone_progress":
            text += f" {record.milestone.name}" if record.milestone else ""
        elif key == "project_evidence":
            text += f" “{record.original_name}”"
        return text, _project_link(project) if opens else ""
    if key == "approver":
        user, agency = record.user, record.agency
        return f"{_person(user) if user else '-'} · {agency if agency else '-'}", ""
    if key == "stand_in":
        return _("%(stand_in)s แทน %(approver)s %(start)s – %(end)s") % {
            "stand_in": _person(record.stand_in) if record.stand_in else "-",
            "approver": _person(record.approver) if record.approver else "-",
            "start": thai_date(record.starts_on), "end": thai_date(record.ends_on)}, ""
    return "", ""


def _person(user: Any) -> str:
    full = user.get_full_name()
    return f"{full} ({user.username})" if full else user.username


def page_entries(rows: Iterable[dict[str, Any]], viewer: AnyUser) -> list[Entry]:
    """The rows of one page, as Entries: a fixed number of queries (the
    history records of each source on the page and those before them, the
    role changes, the axes rows' addresses, the people and the agencies)."""
    rows = list(rows)
    records, previous = _load_history(rows)
    roles = {change.pk: change for change in RoleChange.objects.filter(
        pk__in=[row["a_row"] for row in rows if row["a_source"] == ROLE])} if any(
        row["a_source"] == ROLE for row in rows) else {}
    addresses: dict[tuple[str, int], str] = {}
    for key, model in (("sign_in", AccessLog), ("sign_in_failed", AccessFailureLog), ("locked_out", AccessFailureLog)):
        ids = [row["a_row"] for row in rows if row["a_source"] == key]
        if ids:
            for pk, address in model.objects.filter(pk__in=ids).values_list("pk", "ip_address"):
                addresses[key, pk] = address or ""

    diffs = {where: _diff(record, previous.get(where)) for where, record in records.items()}
    # The people and agencies named anywhere on the page, in two queries.
    user_ids = {row["a_user"] for row in rows if row["a_user"]}
    usernames = {row["a_username"] for row in rows if row["a_username"]}
    agency_ids = {row["a_agency"] for row in rows if row["a_agency"]}
    for changes in diffs.values():
        for model_field, old, new in changes:
            if isinstance(model_field, models.ForeignKey):
                target = user_ids if model_field.related_model is get_user_model() else (
                    agency_ids if model_field.related_model is Agency else None)
                if target is not None:
                    target.update(value for value in (old, new) if value)
    names: dict[tuple[str, int], str] = {}
    by_username: dict[str, str] = {}
    if user_ids or usernames:
        for user in get_user_model().objects.filter(Q(pk__in=user_ids) | Q(username__in=usernames)):
            names["user", user.pk] = _person(user)
            by_username[user.username] = names["user", user.pk]
    if agency_ids:
        for agency in Agency.objects.filter(pk__in=agency_ids):
            names["agency", agency.pk] = str(agency)

    entries = []
    for row in rows:
        key = row["a_source"]
        kind = SOURCES[key].kind
        if row["a_username"] is not None:
            who = by_username.get(row["a_username"], row["a_username"])
        elif row["a_user"]:
            who = names.get(("user", row["a_user"]), f"#{row['a_user']}")
        else:
            who = _("ระบบ")
        entry = Entry(
            at=row["a_at"], kind=kind, kind_label=str(KINDS[kind]), who=who,
            agency=names.get(("agency", row["a_agency"]), "") if row["a_agency"] else "",
            year=row["a_year"], quarter=row["a_quarter"], subject="", url="", change="", change_label="",
            reason=row["a_reason"] or "",
        )
        record = records.get((key, row["a_row"]))
        if record is not None:
            entry.subject, entry.url = _subject(key, record, row, viewer, names)
            entry.change = CHANGE_SIGNS.get(row["a_change"], row["a_change"])
            entry.change_label = str(CHANGE_LABELS.get(row["a_change"], ""))
            entry.changes = [FieldChange(str(f.verbose_name), _display(old, f, names), _display(new, f, names))
                             for f, old, new in diffs[key, row["a_row"]]]
        elif key == ROLE:
            change = roles.get(row["a_row"])
            if change is not None:
                entry.subject = change.username
                if permissions.is_administrator(viewer) and change.user_id:  # type: ignore[arg-type]
                    entry.url = reverse("admin:auth_user_change", args=[change.user_id])
                added = change.action == RoleChange.Action.ADDED
                entry.change = "+" if added else "−"
                entry.change_label = str(change.get_action_display())
                entry.changes = [FieldChange(_("สิทธิ์"), "" if added else _role(change.role),
                                             _role(change.role) if added else "")]
        else:  # a sign-in, failed or locked out
            entry.subject = row["a_username"] or ""
            address = addresses.get((key, row["a_row"]), "")
            entry.change_label = _("จาก %(address)s") % {"address": address} if address else ""
        entries.append(entry)
    return entries


def _role(name: str) -> str:
    return str(ROLE_LABELS.get(name, name))


def may_read(user: AnyUser) -> bool:
    """The audit log is for administrators and evaluators only."""
    return permissions.is_administrator(user) or permissions.is_evaluator(user)  # type: ignore[arg-type]
