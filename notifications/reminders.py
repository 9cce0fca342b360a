"""Reminders before a reporting window closes and the overdue notice the day
after, one mail per user listing every indicator of theirs still due and
every project whose quarter update is still due (projects/due.py), each
project with the link to its update form (never one mail per item). What was sent is recorded under a key naming the
quarter, its closing date, the kind, the days before and the user, so a
second run on the same day sends nothing again. Run by
`manage.py send_reminders` (cron or systemd timer, see docs/operations.md)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.models import Agency, Indicator, Quarter, QuarterResult
from indicators.text import thai_date
from projects import due as projects_due
from projects import permissions as project_permissions
from projects.models import Project

from . import mail, recipients, services
from .models import Kind, Notification, ReminderSettings, SentReminder

BATCH_SIZE = 500
DEFAULT_SETTINGS = ReminderSettings(days_before="7,1", overdue_notice=True, copy_overdue_to_manager=False)
# Submitted and accepted quarters are done; anything else is still due.
# Waiting for the agency's approver counts as sent: the reporter did their part.
DONE = (QuarterResult.Status.AWAITING_APPROVAL, QuarterResult.Status.SUBMITTED, QuarterResult.Status.ACCEPTED)


@dataclass
class Reminder:
    """One notice to one user about one quarter."""

    user: User
    kind: str
    quarter: Quarter
    key: str
    indicators: list[Indicator] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    days_left: int | None = None
    copy: bool = False  # the manager's copy of an overdue notice
    manual_by: User | None = None

    def title(self) -> str:
        where = {"q": self.quarter.number, "year": self.quarter.fiscal_year.year,
                 "d": thai_date(self.quarter.closes_on), "n": self.days_left}
        if self.kind == Kind.OVERDUE:
            title = _("เลยกำหนด: ยังไม่ได้ส่งรายงานไตรมาสที่ %(q)s ปีงบประมาณ %(year)s (ปิดรับเมื่อ %(d)s)") % where
            return _("สำเนา: %(t)s") % {"t": title} if self.copy else title
        if self.manual_by is not None:
            return _("ผู้ตรวจประเมินขอให้ส่งรายงานไตรมาสที่ %(q)s ปีงบประมาณ %(year)s (ปิดรับ %(d)s)") % where
        return _("เตือน: ปิดรับรายงานไตรมาสที่ %(q)s ปีงบประมาณ %(year)s ในอีก %(n)s วัน (%(d)s)") % where

    def text(self) -> str:
        lines: list[str] = []
        if self.indicators:
            lines.append(_("ตัวชี้วัดที่ยังไม่ได้ส่งผล %(n)s รายการ:") % {"n": len(self.indicators)})
        for indicator in self.indicators:
            lines.append(f"- {indicator.code} {indicator.name} ({indicator.owner.short_name or indicator.owner.name})")
        if self.projects:
            if lines:
                lines.append("")
            lines.append(_("โครงการที่ยังไม่ได้รายงานความคืบหน้าไตรมาสที่ %(q)s %(n)s รายการ:") % {
                "q": self.quarter.number, "n": len(self.projects)})
        for project in self.projects:
            lines.append(f"- {project.code} {project.name} ({project.owner.short_name or project.owner.name})")
            if not self.copy:
                # The reporter's own form; the manager's copy links to the progress page instead.
                lines.append(f"  {mail.absolute(self.update_url(project))}")
        return "\n".join(lines)

    def update_url(self, project: Project) -> str:
        return reverse("projects:update", args=[project.fiscal_year.year, project.code, self.quarter.number])

    def is_empty(self) -> bool:
        return not self.indicators and not self.projects

    def url(self) -> str:
        # Reporters report from "my indicators"; a manager reads the progress page.
        if self.copy:
            return reverse("progress:page") + f"?year={self.quarter.fiscal_year.year}&quarter={self.quarter.number}"
        return reverse("entry:my_indicators")

    def notification(self) -> Notification:
        return Notification(kind=self.kind, title=self.title()[:300], text=self.text(), url=self.url(),
                            quarter=self.quarter.number)


@dataclass
class Outcome:
    sent: list[Reminder] = field(default_factory=list)
    already_sent: int = 0


def settings_of(quarter: Quarter) -> ReminderSettings:
    try:
        return quarter.fiscal_year.reminder_settings
    except ReminderSettings.DoesNotExist:
        return DEFAULT_SETTINGS


def due_indicators(quarter: Quarter, deadline: datetime.date,
                   agency_ids: Sequence[int] | None = None) -> QuerySet[Indicator]:
    """The indicators of the quarter's year not yet submitted for it, except
    those an evaluator or administrator opened until after `deadline`
    (their own date applies)."""
    done_or_later = QuarterResult.objects.filter(quarter=quarter.number).filter(
        Q(status__in=DONE) | Q(reopened_until__gt=deadline)
    )
    indicators = (
        Indicator.objects.filter(fiscal_year_id=quarter.fiscal_year_id)
        .exclude(pk__in=done_or_later.filter(indicator__fiscal_year_id=quarter.fiscal_year_id).values("indicator_id"))
        .select_related("owner", "fiscal_year").only(
            "id", "code", "name", "owner_id", "owner__name", "owner__short_name", "fiscal_year__year")
        .order_by("owner_id", "code")
    )
    if agency_ids is not None:
        indicators = indicators.filter(owner_id__in=agency_ids)
    return indicators


def _due_by_agency(quarter: Quarter, deadline: datetime.date, agency_ids: Sequence[int] | None,
                   ) -> tuple[dict[int, list[Indicator]], dict[int, list[Project]]]:
    """What is due, per owner agency: indicators, and projects (two queries)."""
    by_agency: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in due_indicators(quarter, deadline, agency_ids):
        by_agency[indicator.owner_id].append(indicator)
    projects_by_agency: dict[int, list[Project]] = defaultdict(list)
    for project in projects_due.due_projects(quarter, deadline, agency_ids):
        projects_by_agency[project.owner_id].append(project)
    return by_agency, projects_by_agency


def _projects_for(user: User, projects: Sequence[Project], copy: bool) -> list[Project]:
    """The projects a reminder may list: a reporter those they may report on
    (the mail links to the form), a manager's copy those they may see."""
    may = project_permissions.can_view_project if copy else project_permissions.can_report_on_project
    return [p for p in projects if may(user, p)]


def _grouped(quarter: Quarter, kind: str, key: str, deadline: datetime.date,
             agency_ids: Sequence[int] | None = None, days_left: int | None = None,
             managers: bool = False, manual_by: User | None = None) -> list[Reminder]:
    """One Reminder per reporter (and per agency manager for a copy) of the
    agencies with indicators or project updates due, each with every due
    indicator and project they may see. A reminder's key is `key`, the
    user's id after it (and "copy-" before)."""
    by_agency, projects_by_agency = _due_by_agency(quarter, deadline, agency_ids)
    agencies = set(by_agency) | set(projects_by_agency)
    if not agencies:
        return []
    audiences = [(False, recipients.reporters_by_agency(agencies))]
    if managers:
        audiences.append((True, recipients.managers_by_agency(agencies)))
    reminders: list[Reminder] = []
    for copy, people in audiences:
        per_user: dict[int, Reminder] = {}
        for agency_id, users in people.items():
            for user in users:
                reminder = per_user.get(user.pk)
                if reminder is None:
                    reminder = per_user[user.pk] = Reminder(
                        user=user, kind=kind, quarter=quarter, key=f"{'copy-' if copy else ''}{key}:{user.pk}",
                        days_left=days_left, copy=copy, manual_by=manual_by)
                # The same rule as the pages: a mail never lists what its reader may not open.
                reminder.indicators += [i for i in by_agency.get(agency_id, [])
                                        if permissions.can_view_indicator(user, i)]
                reminder.projects += _projects_for(user, projects_by_agency.get(agency_id, []), copy)
        reminders += [r for r in per_user.values() if not r.is_empty()]
    return sorted(reminders, key=lambda r: (r.user.pk, r.copy))


def plan(today: datetime.date) -> list[Reminder]:
    """Everything due to be sent today (whether or not already sent)."""
    reminders: list[Reminder] = []
    quarters = Quarter.objects.filter(closes_on__gte=today - datetime.timedelta(days=1)).select_related(
        "fiscal_year", "fiscal_year__reminder_settings").order_by("closes_on", "pk")
    for quarter in quarters:
        assert quarter.closes_on is not None
        settings = settings_of(quarter)
        days_left = (quarter.closes_on - today).days
        stamp = f"{quarter.pk}:{quarter.closes_on:%Y%m%d}"
        if days_left in settings.days():
            reminders += _grouped(
                quarter, Kind.REMINDER, f"reminder:{stamp}:{days_left}",
                deadline=quarter.closes_on, days_left=days_left)
        elif days_left == -1 and settings.overdue_notice:
            reminders += _grouped(
                quarter, Kind.OVERDUE, f"overdue:{stamp}", deadline=today,
                managers=settings.copy_overdue_to_manager)
    return reminders


def may_remind(user: User) -> bool:
    """Evaluators and managers remind a late agency from the progress page."""
    return bool(permissions.roles_of(user) & {permissions.EVALUATOR, permissions.MANAGER})


def manual_reminders(*, quarter: Quarter, agency_ids: Sequence[int], user: User,
                     today: datetime.date) -> dict[int, list[Reminder]]:
    """What the progress page's button would send now, per agency: one
    Reminder per reporter of the agency listing its indicators and project
    updates still due that the reporter may open, keyed once a day per
    agency and quarter.
    Agencies with nothing due or no reporter to tell have none. A fixed
    number of queries whatever the number of agencies."""
    deadline = quarter.closes_on or today
    days_left = (deadline - today).days
    by_agency, projects_by_agency = _due_by_agency(quarter, max(deadline, today), agency_ids)
    agencies = set(by_agency) | set(projects_by_agency)
    if not agencies:
        return {}
    people = recipients.reporters_by_agency(agencies)
    found: dict[int, list[Reminder]] = {}
    for agency_id in sorted(agencies):
        for reporter in people.get(agency_id, []):
            # The same rule as the pages: a mail never lists what its reader may not open.
            reminder = Reminder(
                user=reporter, kind=Kind.REMINDER, quarter=quarter,
                key=f"manual:{quarter.pk}:{agency_id}:{today:%Y%m%d}:{reporter.pk}",
                indicators=[i for i in by_agency.get(agency_id, []) if permissions.can_view_indicator(reporter, i)],
                projects=_projects_for(reporter, projects_by_agency.get(agency_id, []), copy=False),
                days_left=days_left, manual_by=user)
            if not reminder.is_empty():
                found.setdefault(agency_id, []).append(reminder)
    return found


@dataclass
class Remindable:
    """An agency on the progress page: how many of its reporters the button
    would remind now, and how many were reminded already today."""

    to_send: int = 0
    sent_today: int = 0


def remindable(*, quarter: Quarter, agency_ids: Sequence[int], user: User,
               today: datetime.date) -> dict[int, Remindable]:
    """{agency id: Remindable} from manual_reminders, the function the
    button sends with, less what was sent today. Agencies nobody could be
    reminded in are left out."""
    planned = manual_reminders(quarter=quarter, agency_ids=agency_ids, user=user, today=today)
    keys = [r.key for reminders in planned.values() for r in reminders]
    sent = set(SentReminder.objects.filter(key__in=keys).values_list("key", flat=True)) if keys else set()
    return {
        agency_id: Remindable(to_send=sum(r.key not in sent for r in reminders),
                              sent_today=sum(r.key in sent for r in reminders))
        for agency_id, reminders in planned.items()
    }


def remind_agency(*, quarter: Quarter, agency: Agency, user: User, today: datetime.date) -> Outcome:
    """The progress page's button: the agency's reporters reminded now of
    what is still due, at most once a day per agency and quarter."""
    if not may_remind(user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("เฉพาะผู้ตรวจประเมินและผู้บริหารเท่านั้นที่ส่งการเตือนได้"))
    planned = manual_reminders(quarter=quarter, agency_ids=[agency.pk], user=user, today=today)
    return send(planned.get(agency.pk, []))


def batches(reminders: Sequence[Reminder], size: int = BATCH_SIZE) -> Iterator[Sequence[Reminder]]:
    for start in range(0, len(reminders), size):
        yield reminders[start:start + size]


def send(reminders: Sequence[Reminder], *, dry_run: bool = False, batch_size: int = BATCH_SIZE) -> Outcome:
    """Sends those not sent before, batch by batch: each batch records its
    keys, stores the notices and mails them in one transaction, so a mail
    server that fails leaves that batch unrecorded for the next run.
    A fixed number of queries per batch."""
    outcome = Outcome()
    for batch in batches(reminders, batch_size):
        sent_before = set(SentReminder.objects.filter(key__in=[r.key for r in batch]).values_list("key", flat=True))
        todo = [r for r in batch if r.key not in sent_before]
        outcome.already_sent += len(batch) - len(todo)
        if dry_run or not todo:
            outcome.sent += todo
            continue
        try:
            with transaction.atomic():
                SentReminder.objects.bulk_create([SentReminder(key=r.key, recipient=r.user) for r in todo])
                services.deliver([(r.user, r.notification()) for r in todo], mail_now=True)
        except IntegrityError:
            # Another run recorded some of these meanwhile and sends them.
            outcome.already_sent += len(todo)
            continue
        outcome.sent += todo
    return outcome


def send_due(today: datetime.date, *, dry_run: bool = False) -> Outcome:
    return send(plan(today), dry_run=dry_run)
