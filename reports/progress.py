"""Reporting progress (DHIS2's reporting rate): for a fiscal year and
quarter, per agency or per district group, how many indicators were
submitted on time, late, wait for their agency's approver, are returned or
still missing, the completion
percentage and the days left in the window; beside them, the project
updates due, submitted and accepted for the quarter (projects/due.py).
Three queries whatever the number of indicators and projects: the window,
one row per indicator (its workflow state and the list's status, stored on
its row: stored_status.py), and one row per project (its update's status)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators import rules
from indicators.models import Indicator, Quarter, QuarterResult
from indicators.selectors.browse import NOT_REPORTED
from projects import due as projects_due
from projects.models import Project, ProjectUpdate

ON_TIME, LATE, RETURNED, MISSING = "on_time", "late", "returned", "missing"
# Submitted, waiting for the agency's approver (the year's agency_signoff):
# not yet submitted to สยป., nor missing either.
AWAITING = "awaiting"
CATEGORIES = (ON_TIME, LATE, AWAITING, RETURNED, MISSING)
CATEGORY_LABELS = {
    ON_TIME: gettext_lazy("ส่งตรงเวลา"), LATE: gettext_lazy("ส่งล่าช้า"), AWAITING: gettext_lazy("รอหน่วยงานอนุมัติ"),
    RETURNED: gettext_lazy("ส่งกลับแก้ไข"), MISSING: gettext_lazy("ยังไม่ส่ง"),
}
BY_AGENCY, BY_GROUP = "agency", "group"
GROUPINGS = [(BY_AGENCY, gettext_lazy("หน่วยงาน")), (BY_GROUP, gettext_lazy("กลุ่มเขต"))]
SORTS = ("name", "total", *CATEGORIES, "completion", "projects_due")
PROJECT_LABELS = {
    projects_due.DUE: gettext_lazy("โครงการค้างรายงาน"), projects_due.SUBMITTED: gettext_lazy("โครงการส่งแล้ว รอตรวจ"),
    projects_due.ACCEPTED: gettext_lazy("โครงการตรวจรับแล้ว"),
}
DONE = (QuarterResult.Status.SUBMITTED, QuarterResult.Status.ACCEPTED)


def category(status: str | None, submitted_at: datetime.datetime | None, closes_on: datetime.date | None,
             reopened_until: datetime.date | None) -> str:
    """Where one indicator's quarter stands. Submitted (or accepted) is on
    time when it came in by the window's close, or by the date an evaluator
    gave for a correction; late otherwise."""
    if status in DONE:
        deadline = max(d for d in (closes_on, reopened_until, datetime.date.min) if d is not None)
        if closes_on is None or submitted_at is None or timezone.localdate(submitted_at) <= deadline:
            return ON_TIME
        return LATE
    if status == QuarterResult.Status.AWAITING_APPROVAL:
        return AWAITING
    if status == QuarterResult.Status.RETURNED:
        return RETURNED
    return MISSING


@dataclass
class Row:
    key: Any
    name: str
    agency_code: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    total: int = 0
    # The list's statuses at this quarter (with_status), for cross-checking.
    evaluated: int = 0
    not_reported: int = 0
    # The quarter's project updates: due / submitted / accepted (projects/due.py).
    projects: dict[str, int] = field(default_factory=lambda: dict.fromkeys(projects_due.STATES, 0))
    projects_total: int = 0
    # Submitted, waiting for the agency's approver (not counted as due).
    projects_awaiting: int = 0

    @property
    def submitted(self) -> int:
        return self.counts[ON_TIME] + self.counts[LATE]

    @property
    def completion(self) -> Decimal:
        if not self.total:
            return Decimal("0")
        return (Decimal(self.submitted) * 100 / self.total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def sort_key(self, sort: str) -> Any:
        if sort == "name":
            return self.name
        if sort == "total":
            return self.total
        if sort == "completion":
            return self.completion
        if sort == "projects_due":
            return self.projects[projects_due.DUE]
        return self.counts[sort]


@dataclass
class Progress:
    year: int
    quarter: int
    window: Quarter | None
    by: str
    rows: list[Row]
    total: Row
    today: datetime.date
    # The year asks for the agency's sign-off: the page and the export show
    # what waits for it (and do not otherwise, as before the switch).
    signoff: bool = False

    @property
    def shows_awaiting(self) -> bool:
        return self.signoff or bool(self.total.counts[AWAITING] or self.total.projects_awaiting)

    @property
    def categories(self) -> tuple[str, ...]:
        return CATEGORIES if self.shows_awaiting else tuple(c for c in CATEGORIES if c != AWAITING)

    @property
    def days_left(self) -> int | None:
        """Days until the window closes (0 on its last day); None without a
        window or once it has closed."""
        if self.window is None or self.window.closes_on is None:
            return None
        left = (self.window.closes_on - self.today).days
        return left if left >= 0 else None


def progress(indicators: QuerySet[Indicator], *, year: int, quarter: int, by: str = BY_AGENCY,
             sort: str = "completion", descending: bool = False, today: datetime.date | None = None,
             projects: QuerySet[Project] | None = None) -> Progress:
    """`indicators` and `projects`: what the viewer may see
    (permissions.visible_indicators, projects.permissions.visible_projects),
    any year; this reads the year's. Without `projects` no project is counted.
    An agency with projects and no indicator gets its row too."""
    today = today or timezone.localdate()
    window = Quarter.objects.filter(fiscal_year__year=year, number=quarter).select_related("fiscal_year").first()
    closes_on = window.closes_on if window else None
    rows_qs = (
        indicators.filter(fiscal_year__year=year).annotate(list_status=F(f"status_q{quarter}"))
        .annotate(progress_result=FilteredRelation("quarter_results", condition=Q(quarter_results__quarter=quarter)))
        .values_list(
            "owner_id", "owner__code", "owner__name", "owner__district_group_id", "owner__district_group__name",
            F("progress_result__status"), F("progress_result__submitted_at"), F("progress_result__reopened_until"),
            "list_status",
        )
        .order_by()
    )
    groups: dict[Any, Row] = {}
    total = Row(key=None, name=_("รวมทั้งหมด"))
    for (owner_id, owner_code, owner_name, group_id, group_name, status, submitted_at, reopened_until,
         list_status) in rows_qs:
        if by == BY_GROUP:
            key, name, code = group_id, group_name or _("ไม่สังกัดกลุ่มเขต"), ""
        else:
            key, name, code = owner_id, owner_name, owner_code
        row = groups.get(key)
        if row is None:
            row = groups[key] = Row(key=key, name=name, agency_code=code)
        cat = category(status, submitted_at, closes_on, reopened_until)
        for counted in (row, total):
            counted.counts[cat] += 1
            counted.total += 1
            counted.evaluated += list_status in (rules.MET, rules.NOT_MET)
            counted.not_reported += list_status == NOT_REPORTED
    if projects is not None:
        _count_projects(projects, year=year, quarter=quarter, by=by, groups=groups, total=total)
    sort = sort if sort in SORTS else "completion"
    rows = sorted(groups.values(), key=lambda r: (r.sort_key(sort), r.name), reverse=descending)
    return Progress(year=year, quarter=quarter, window=window, by=by, rows=rows, total=total, today=today,
                    signoff=bool(window and window.fiscal_year.agency_signoff))


def _count_projects(projects: QuerySet[Project], *, year: int, quarter: int, by: str, groups: dict[Any, Row],
                    total: Row) -> None:
    """Adds each project's quarter (due / submitted / accepted) to its row (one query)."""
    rows_qs = (
        projects.filter(fiscal_year__year=year)
        .annotate(quarter_update=FilteredRelation("updates", condition=Q(updates__quarter=quarter)))
        .values_list("owner_id", "owner__code", "owner__name", "owner__district_group_id",
                     "owner__district_group__name", F("quarter_update__status"))
        .order_by()
    )
    for owner_id, owner_code, owner_name, group_id, group_name, status in rows_qs:
        if by == BY_GROUP:
            key, name, code = group_id, group_name or _("ไม่สังกัดกลุ่มเขต"), ""
        else:
            key, name, code = owner_id, owner_name, owner_code
        row = groups.get(key)
        if row is None:
            row = groups[key] = Row(key=key, name=name, agency_code=code)
        awaiting = status == ProjectUpdate.Status.AWAITING_APPROVAL
        state = projects_due.state(status)
        for counted in (row, total):
            if awaiting:  # submitted by the reporter: not due, not yet with สยป.
                counted.projects_awaiting += 1
            else:
                counted.projects[state] += 1
            counted.projects_total += 1


def export_table(data: Progress) -> tuple[list[str], list[list[Any]]]:
    from .exports import Number

    first = _("หน่วยงาน") if data.by == BY_AGENCY else _("กลุ่มเขต")
    categories = data.categories
    awaiting = [_("โครงการรอหน่วยงานอนุมัติ")] if data.shows_awaiting else []
    headers = [first, _("จำนวนตัวชี้วัด"), *[str(CATEGORY_LABELS[c]) for c in categories],
               _("ร้อยละการส่ง"), _("ตรวจประเมินแล้ว"), _("ยังไม่มีผลงาน"),
               _("จำนวนโครงการ"), *[str(PROJECT_LABELS[s]) for s in projects_due.STATES], *awaiting]
    body = [
        [row.name, Number(row.total), *[Number(row.counts[c]) for c in categories], Number(row.completion, 1),
         Number(row.evaluated), Number(row.not_reported),
         Number(row.projects_total), *[Number(row.projects[s]) for s in projects_due.STATES],
         *([Number(row.projects_awaiting)] if awaiting else [])]
        for row in [*data.rows, data.total]
    ]
    return headers, body
