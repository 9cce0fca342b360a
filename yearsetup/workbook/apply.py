"""Writes a workbook: the dry run again, inside one transaction, and then
only if it found no problem; so one bad row anywhere writes nothing.

Writes are bulk (a fixed number of queries per batch of rows, not a save per
row). Bulk writes skip save() and signals, so what they would do is done
here: history rows with the user and "นำเข้าจากไฟล์ <name>" (simple_history's
bulk helpers), and a new sheet_version for every indicator whose page shows
something that changed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators import data_sources, permissions, status_counts, stored_status, workflow
from indicators.models import (
    QUARTERS,
    Agency,
    DistrictGroup,
    FiscalYear,
    Indicator,
    Quarter,
    QuarterResult,
    StrategyNode,
)
from indicators.permissions import AnyUser
from projects import standing as project_standing
from projects.models import Milestone, Project
from reports import sheet_cache

from . import columns as spec
from .plan import Change, Plan, make_plan
from .read import Workbook

BATCH = 500


class ImportRefused(Exception):
    """The workbook has problems; nothing was written. `plan` says which."""

    def __init__(self, plan: Plan):
        super().__init__(_("ไฟล์มีข้อผิดพลาด %(n)s รายการ ระบบไม่ได้บันทึกข้อมูลใด ๆ") % {"n": len(plan.problems)})
        self.plan = plan


@dataclass
class Applied:
    plan: Plan
    # New users: (username, e-mail) for the password-set link.
    new_users: list[Any] = field(default_factory=list)


def reason_for(file_name: str) -> str:
    return _("นำเข้าจากไฟล์ %(name)s") % {"name": file_name}


def _fields(changes: list[Change]) -> list[str]:
    return sorted({name for change in changes for name in change.fields})


def _own(name: str) -> bool:
    """A field on the indicator's own row (not a milestone or a link)."""
    return not name.startswith("target_q") and name != "strategy_nodes"


def _split(changes: list[Change]) -> tuple[list[Any], list[Change]]:
    return [c.obj for c in changes if c.created], [c for c in changes if not c.created]


def _month_after(day: datetime.date, months: int = 1) -> datetime.date:
    """The first day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def default_window(fiscal_year: FiscalYear, number: int) -> tuple[datetime.date, datetime.date]:
    """A quarter's default reporting window: from the quarter's second month
    to the end of the month after it (Q1 of FY 2570: 1 Nov 2569 - 31 Jan 2570)."""
    start, end = fiscal_year.quarter_period(number)
    return _month_after(start), _month_after(end, 2) - datetime.timedelta(days=1)


def ensure_year(year: int) -> FiscalYear:
    """The fiscal year with its four quarters (default windows for missing ones)."""
    fiscal_year, _created = FiscalYear.objects.get_or_create(year=year)
    have = set(Quarter.objects.filter(fiscal_year=fiscal_year).values_list("number", flat=True))
    Quarter.objects.bulk_create([
        Quarter(fiscal_year=fiscal_year, number=n, opens_on=window[0], closes_on=window[1])
        for n in QUARTERS if n not in have for window in [default_window(fiscal_year, n)]
    ])
    return fiscal_year


class Writer:
    def __init__(self, plan: Plan, user: AnyUser, reason: str):
        self.plan = plan
        self.user = user if user.is_authenticated else None
        self.reason = workflow.fit_change_reason(reason)
        self.bumped: set[int] = set()
        # New indicators: no sheet to bump, but statuses to store.
        self.created: set[int] = set()
        self.changed_agencies: list[int] = []
        self.changed_nodes: list[int] = []
        # Projects whose dates or activities were written: their stored figures.
        self.projects_written: set[int] = set()

    def _baseline(self, model: type[Any], pks: list[int]) -> None:
        """A history row of the state before the import for rows that have
        none (loaded from fixtures or raw SQL), so the history page can say
        what the import changed rather than list every field as new."""
        have = set(model.history.filter(id__in=pks).values_list("id", flat=True).distinct())
        missing = [pk for pk in pks if pk not in have]
        if missing:
            model.history.bulk_history_create(list(model.objects.filter(pk__in=missing)), batch_size=BATCH)

    def _write(self, model: type[Any], changes: list[Change]) -> list[int]:
        """Creates the new rows and updates the changed fields of the others
        (a foreign key by its name: bulk_update writes its id); the pks updated."""
        new, changed = _split(changes)
        model.objects.bulk_create(new, batch_size=BATCH)
        fields = _fields(changed)
        if fields:
            model.objects.bulk_update([c.obj for c in changed], fields, batch_size=BATCH)
        return [c.obj.pk for c in changed]

    def groups(self) -> None:
        self._write(DistrictGroup, self.plan.changes.get(spec.GROUPS.key, []))

    def agencies(self) -> None:
        changes = self.plan.changes.get(spec.AGENCIES.key, [])
        groups = dict(DistrictGroup.objects.values_list("code", "pk"))
        for change in changes:
            if "district_group" in change.refs:
                change.obj.district_group_id = groups.get(change.refs["district_group"])
        self.changed_agencies = self._write(Agency, changes)

    def strategy_plan(self) -> None:
        changes = self.plan.changes.get(spec.PLAN.key, [])
        # Parents first: each level's parents exist when it is written.
        for level in sorted({c.obj.level for c in changes}):
            nodes = dict(StrategyNode.objects.values_list("code", "pk"))
            at_level = [c for c in changes if c.obj.level == level]
            for change in at_level:
                if "parent" in change.refs:
                    change.obj.parent_id = nodes.get(change.refs["parent"]) if change.refs["parent"] else None
            self.changed_nodes += self._write(StrategyNode, at_level)

    def indicators(self) -> None:
        plan = self.plan
        if plan.year is None:
            return
        changes = plan.changes.get(spec.INDICATORS.key, [])
        fiscal_year = ensure_year(plan.year)
        owners = dict(Agency.objects.values_list("code", "pk"))
        for change in changes:
            change.obj.fiscal_year = fiscal_year
            if change.refs.get("owner"):
                change.obj.owner_id = owners[change.refs["owner"]]
        new, changed = _split(changes)
        bulk_create_with_history(new, Indicator, batch_size=BATCH, default_user=self.user,
                                 default_change_reason=self.reason)
        own = [name for name in _fields(changed) if _own(name)]
        edited = [c.obj for c in changed if any(_own(name) for name in c.fields)]
        if own and edited:
            self._baseline(Indicator, [indicator.pk for indicator in edited])
            bulk_update_with_history(edited, Indicator, own, batch_size=BATCH, default_user=self.user,
                                     default_change_reason=self.reason)
        ids = dict(Indicator.objects.filter(fiscal_year=fiscal_year).values_list("code", "pk"))
        # The evidence checklists follow the data-sources column, one item a line.
        data_sources.sync_items([ids[c.obj.code] for c in changes if c.created or "data_sources" in c.fields],
                                user=self.user, reason=self.reason)
        self.bumped.update(c.obj.pk for c in changed)
        self.created.update(ids[indicator.code] for indicator in new)
        self._links(ids)
        self._milestones(ids)

    def _links(self, ids: dict[str, int]) -> None:
        plan = self.plan
        codes = [code for code in plan.links if code in plan.links_changed]
        if not codes:
            return
        through = Indicator.strategy_nodes.through
        nodes = dict(StrategyNode.objects.values_list("code", "pk"))
        indicator_ids = [ids[code] for code in codes]
        through.objects.filter(indicator_id__in=indicator_ids).delete()
        through.objects.bulk_create([
            through(indicator_id=ids[code], strategynode_id=nodes[node]) for code in codes for node in plan.links[code]
        ], batch_size=BATCH)
        self.bumped.update(indicator_ids)

    def _milestones(self, ids: dict[str, int]) -> None:
        new, targets = [], {}
        for (code, quarter), (result_pk, target) in self.plan.milestones.items():
            if result_pk is not None:
                targets[result_pk] = target
            elif target is not None:
                new.append(QuarterResult(indicator_id=ids[code], quarter=quarter, target=target,
                                         updated_by=self.user))
        changed = list(QuarterResult.objects.filter(pk__in=targets)) if targets else []
        for result in changed:
            result.target = targets[result.pk]
            # A report form opened before the import no longer saves over it.
            result.version += 1
            result.updated_by = self.user
        bulk_create_with_history(new, QuarterResult, batch_size=BATCH, default_user=self.user,
                                 default_change_reason=self.reason)
        if changed:
            self._baseline(QuarterResult, [result.pk for result in changed])
            bulk_update_with_history(changed, QuarterResult, ["target", "version", "updated_by"], batch_size=BATCH,
                                     default_user=self.user, default_change_reason=self.reason)
        self.bumped.update(ids[code] for code, _q in self.plan.milestones)

    def staff(self) -> list[Any]:
        plan = self.plan
        changes = plan.changes.get(spec.STAFF.key, [])
        if not changes:
            return []
        User = get_user_model()
        new, changed = _split(changes)
        unusable = make_password(None)
        for user in new:
            user.password = unusable
        User.objects.bulk_create(new, batch_size=BATCH)
        fields = [name for name in _fields(changed) if name not in ("role", "agencies")]
        if fields:
            User.objects.bulk_update([c.obj for c in changed], fields, batch_size=BATCH)
        usernames = [c.obj.username for c in changes]
        users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
        groups = {name: Group.objects.get_or_create(name=name)[0].pk for name in permissions.ROLES}
        group_through, member_through = User.groups.through, Agency.members.through
        with_role = [u for u in usernames if plan.staff[u][0]]
        group_through.objects.filter(user_id__in=[users[u] for u in with_role],
                                     group_id__in=groups.values()).delete()
        group_through.objects.bulk_create([
            group_through(user_id=users[u], group_id=groups[str(plan.staff[u][0])]) for u in with_role
        ], batch_size=BATCH)
        with_agencies = [u for u in usernames if plan.staff[u][1] is not None]
        agencies = dict(Agency.objects.values_list("code", "pk"))
        member_through.objects.filter(user_id__in=[users[u] for u in with_agencies]).delete()
        member_through.objects.bulk_create([
            member_through(user_id=users[u], agency_id=agencies[code])
            for u in with_agencies for code in plan.staff[u][1] or ()
        ], batch_size=BATCH)
        return list(User.objects.filter(username__in=[user.username for user in new]))

    def projects(self) -> None:
        """The projects (history rows for their own fields, with the
        import's reason), then their districts and indicators; every
        project whose page changes gets a new sheet_version."""
        plan = self.plan
        changes = plan.changes.get(spec.PROJECTS.key, [])
        if plan.year is None or not (changes or plan.project_links_changed):
            return
        fiscal_year = ensure_year(plan.year)
        owners = dict(Agency.objects.values_list("code", "pk"))
        usernames = {c.refs["responsible_user"] for c in changes if c.refs.get("responsible_user")}
        users = dict(get_user_model().objects.filter(username__in=usernames).values_list("username", "pk"))
        earlier = dict(Project.objects.filter(fiscal_year__year=plan.year - 1).values_list("code", "pk"))
        for change in changes:
            project = change.obj
            project.fiscal_year = fiscal_year
            if change.refs.get("owner"):
                project.owner_id = owners[change.refs["owner"]]
            if "responsible_user" in change.refs:
                project.responsible_user_id = users.get(change.refs["responsible_user"])
            if "continues_from" in change.refs:
                project.continues_from_id = earlier.get(change.refs["continues_from"])
        new, changed = _split(changes)
        bulk_create_with_history(new, Project, batch_size=BATCH, default_user=self.user,
                                 default_change_reason=self.reason)
        own = [name for name in _fields(changed) if name not in ("districts", "indicators")]
        edited = [c.obj for c in changed if any(name in own for name in c.fields)]
        if own and edited:
            self._baseline(Project, [project.pk for project in edited])
            bulk_update_with_history(edited, Project, own, batch_size=BATCH, default_user=self.user,
                                     default_change_reason=self.reason)
        ids = dict(Project.objects.filter(fiscal_year=fiscal_year).values_list("code", "pk"))
        linked = [code for code in plan.project_links_changed]
        self._project_links(ids, linked)
        bumped = {c.obj.pk for c in changed} | {ids[code] for code in linked}
        Project.objects.filter(pk__in=bumped).update(sheet_version=F("sheet_version") + 1)
        self.projects_written |= {ids[c.obj.code] for c in changes}

    def _project_links(self, ids: dict[str, int], codes: list[str]) -> None:
        plan = self.plan
        assert plan.year is not None
        agencies = dict(Agency.objects.values_list("code", "pk"))
        indicators = dict(Indicator.objects.filter(fiscal_year__year=plan.year).values_list("code", "pk"))
        links: tuple[tuple[Any, dict[str, list[str]], str, dict[str, int]], ...] = (
            (Project.districts.through, plan.project_districts, "agency_id", agencies),
            (Project.indicators.through, plan.project_indicators, "indicator_id", indicators))
        for through, wanted, column, targets in links:
            chosen = [code for code in codes if code in wanted]
            if not chosen:
                continue
            through.objects.filter(project_id__in=[ids[code] for code in chosen]).delete()
            through.objects.bulk_create([
                through(project_id=ids[code], **{column: targets[target]}) for code in chosen for target in wanted[code]
            ], batch_size=BATCH)

    def milestones(self) -> None:
        plan = self.plan
        changes = plan.changes.get(spec.MILESTONES.key, [])
        if plan.year is None or not changes:
            return
        ids = dict(Project.objects.filter(fiscal_year__year=plan.year).values_list("code", "pk"))
        for change in changes:
            change.obj.project_id = ids[change.refs["project"]]
        new, changed = _split(changes)
        bulk_create_with_history(new, Milestone, batch_size=BATCH, default_user=self.user,
                                 default_change_reason=self.reason)
        fields = _fields(changed)
        if fields:
            self._baseline(Milestone, [c.obj.pk for c in changed])
            bulk_update_with_history([c.obj for c in changed], Milestone, fields, batch_size=BATCH,
                                     default_user=self.user, default_change_reason=self.reason)
        Project.objects.filter(pk__in={c.obj.project_id for c in changes}).update(
            sheet_version=F("sheet_version") + 1)
        self.projects_written |= {c.obj.project_id for c in changes}

    def bump(self) -> None:
        """New page versions for what changed, in one query."""
        query = Q(pk__in=self.bumped) | Q(owner_id__in=self.changed_agencies)
        if self.changed_nodes:
            query |= Q(pk__in=Indicator.strategy_nodes.through.objects.filter(
                Q(strategynode_id__in=self.changed_nodes)
                | Q(strategynode__parent_id__in=self.changed_nodes)
                | Q(strategynode__parent__parent_id__in=self.changed_nodes)
                | Q(strategynode__parent__parent__parent_id__in=self.changed_nodes)
            ).values("indicator_id"))
        if self.bumped or self.changed_agencies or self.changed_nodes:
            sheet_cache.bump(Indicator.objects.filter(query))


def apply_workbook(book: Workbook, *, user: AnyUser, file_name: str, year: int | None = None,
                   allow_scored_target_change: bool = False,
                   on_progress: Callable[[str], None] | None = None) -> Applied:
    """The dry run again and, without a problem, every change it found,
    all or nothing. Raises ImportRefused (having written nothing) otherwise."""
    with transaction.atomic():
        plan = make_plan(book, year=year, allow_scored_target_change=allow_scored_target_change,
                         file_name=file_name)
        if not plan.ok:
            raise ImportRefused(plan)
        writer = Writer(plan, user, reason_for(file_name))
        for step in (writer.groups, writer.agencies, writer.strategy_plan, writer.indicators):
            step()
            if on_progress is not None:
                on_progress(step.__name__)
        new_users = writer.staff()
        # After the staff (a responsible person may be a new user) and the indicators they support.
        writer.projects()
        writer.milestones()
        # Past save(): the list's stored progress and standing (projects/standing.py).
        project_standing.refresh_ids(writer.projects_written, timezone.localdate())
        writer.bump()
        # Targets and rule fields were written in bulk, past save(); owners,
        # categories and links too: the year is counted again (every year
        # when the plan changed, which moves indicators between dimensions).
        stored_status.refresh(writer.bumped | writer.created, recount=False)
        if writer.changed_nodes:
            status_counts.rebuild_all()
        elif writer.bumped or writer.created:
            status_counts.rebuild_years(Indicator.objects.filter(pk__in=writer.bumped | writer.created)
                                        .order_by().values_list("fiscal_year_id", flat=True).distinct())
    return Applied(plan, new_users)
