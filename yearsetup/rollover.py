"""Starting fiscal year N+1 from N: the same indicators (same codes, owners,
definitions, strategy links), their targets carried over or left blank by
choice, and no results, scores or narratives; the four quarters with
reporting windows (the BE calendar's defaults unless given); and, by
choice, its projects: the same code, facts and activities, continuing the
old project, supporting the new year's indicators of the same codes, with
no updates, evidence or scores. Safe to run twice: what the new year
already has is left as it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from indicators import data_sources, status_counts, stored_status
from indicators.models import QUARTERS, STORED_STATUS_FIELDS, FiscalYear, Indicator, Quarter, QuarterResult
from indicators.permissions import AnyUser
from projects import standing
from projects.models import Milestone, Project

from .workbook.apply import BATCH, default_window

# Fields that belong to one year's work, never copied.
# The statuses belong to last year's results; the new year's are stored by
# stored_status.refresh.
NOT_COPIED = {"id", "fiscal_year", "sheet_version", "operations_summary", *STORED_STATUS_FIELDS}
TARGETS = {"annual_target"}
# A project's fields that belong to the year's work (or are set by the copy).
# The stored figures (projects/standing.py) are last year's: refreshed below.
PROJECT_NOT_COPIED = {"id", "fiscal_year", "sheet_version", "created_at", "continues_from",
                      "actual_start", "actual_finish", *standing.STORED_FIELDS}
MILESTONE_COPIED = ("name", "weight", "planned_start", "planned_finish", "order")

Windows = dict[int, tuple[datetime.date, datetime.date]]


class RolloverRefused(Exception):
    """The Thai reason nothing was done."""


@dataclass
class Rolled:
    year: int
    created: int
    already_there: int
    quarters_created: int
    projects_created: int = 0
    projects_already_there: int = 0


def default_windows(year: int) -> Windows:
    fiscal_year = FiscalYear(year=year)
    return {n: default_window(fiscal_year, n) for n in QUARTERS}


def _carry_projects(old_year: FiscalYear, new_year: FiscalYear, actor: AnyUser | None, reason: str) -> tuple[int, int]:
    """The old year's projects that neither have their code in the new year
    nor are continued there already, copied (see the module); (copied, left
    as they were). A fixed number of queries whatever the count."""
    new_projects = Project.objects.filter(fiscal_year=new_year)
    taken = set(new_projects.values_list("code", flat=True))
    continued = set(new_projects.filter(continues_from__isnull=False).values_list("continues_from_id", flat=True))
    old_projects = Project.objects.filter(fiscal_year=old_year)
    sources = [p for p in old_projects.exclude(code__in=taken).order_by("code") if p.pk not in continued]
    fields = [f.attname for f in Project._meta.concrete_fields if f.name not in PROJECT_NOT_COPIED]
    copies = [Project(fiscal_year=new_year, continues_from_id=project.pk,
                      **{name: getattr(project, name) for name in fields}) for project in sources]
    bulk_create_with_history(copies, Project, batch_size=BATCH, default_user=actor, default_change_reason=reason)
    new_ids = dict(new_projects.filter(code__in=[p.code for p in sources]).values_list("code", "pk"))
    old_to_new = {project.pk: new_ids[project.code] for project in sources}
    milestones = [
        Milestone(project_id=old_to_new[project_id], **dict(zip(MILESTONE_COPIED, values, strict=True)))
        for project_id, *values in Milestone.objects.filter(project_id__in=old_to_new).order_by("project_id", "order", "pk")
        .values_list("project_id", *MILESTONE_COPIED)
    ]
    bulk_create_with_history(milestones, Milestone, batch_size=BATCH, default_user=actor,
                             default_change_reason=reason)
    districts = Project.districts.through
    districts.objects.bulk_create([
        districts(project_id=old_to_new[project_id], agency_id=agency_id)
        for project_id, agency_id in districts.objects.filter(project_id__in=old_to_new)
        .values_list("project_id", "agency_id")
    ], batch_size=BATCH)
    # Each old indicator becomes the new year's of the same code, where there is one.
    indicator_of = dict(Indicator.objects.filter(fiscal_year=new_year).values_list("code", "pk"))
    links = Project.indicators.through
    links.objects.bulk_create([
        links(project_id=old_to_new[project_id], indicator_id=indicator_of[code])
        for project_id, code in links.objects.filter(project_id__in=old_to_new)
        .values_list("project_id", "indicator__code") if code in indicator_of
    ], batch_size=BATCH)
    # Their own figures (no update yet), for the list's filter.
    standing.refresh_ids(old_to_new.values(), timezone.localdate())
    return len(copies), old_projects.count() - len(copies)


def rollover(*, source: int, user: AnyUser, carry_targets: bool = True, windows: Windows | None = None,
             carry_projects: bool = True) -> Rolled:
    """Fiscal year source + 1 started from `source` (see the module)."""
    target = source + 1
    for number, (opens, closes) in (windows or {}).items():
        if opens > closes:
            raise RolloverRefused(_("ไตรมาส %(n)s: วันเปิดรายงานต้องไม่หลังวันปิดรายงาน") % {"n": number})
    actor = user if user.is_authenticated else None
    reason = _("ยกมาจากปีงบประมาณ %(y)s") % {"y": source}
    with transaction.atomic():
        old_year = FiscalYear.objects.filter(year=source).first()
        if old_year is None:
            raise RolloverRefused(_("ไม่พบปีงบประมาณ %(y)s") % {"y": source})
        new_year, _created = FiscalYear.objects.select_for_update().get_or_create(year=target)
        chosen = {**default_windows(target), **(windows or {})}
        have = {q.number: q for q in Quarter.objects.filter(fiscal_year=new_year)}
        Quarter.objects.bulk_create([
            Quarter(fiscal_year=new_year, number=n, opens_on=chosen[n][0], closes_on=chosen[n][1])
            for n in QUARTERS if n not in have
        ])
        for number, (opens, closes) in (windows or {}).items():
            if number in have:
                Quarter.objects.filter(pk=have[number].pk).update(opens_on=opens, closes_on=closes)
        taken = set(Indicator.objects.filter(fiscal_year=new_year).values_list("code", flat=True))
        sources = list(Indicator.objects.filter(fiscal_year=old_year).exclude(code__in=taken).order_by("code"))
        fields = [f.attname for f in Indicator._meta.concrete_fields if f.name not in NOT_COPIED]
        copies = []
        for indicator in sources:
            copy = Indicator(fiscal_year=new_year, **{name: getattr(indicator, name) for name in fields})
            if not carry_targets:
                copy.annual_target = None
            copies.append(copy)
        bulk_create_with_history(copies, Indicator, batch_size=BATCH, default_user=actor,
                                 default_change_reason=reason)
        new_ids = dict(Indicator.objects.filter(fiscal_year=new_year, code__in=[i.code for i in sources])
                       .values_list("code", "pk"))
        data_sources.sync_items(new_ids.values(), user=actor, reason=reason)  # the evidence checklists
        old_to_new = {indicator.pk: new_ids[indicator.code] for indicator in sources}
        through = Indicator.strategy_nodes.through
        through.objects.bulk_create([
            through(indicator_id=old_to_new[indicator_id], strategynode_id=node_id)
            for indicator_id, node_id in through.objects.filter(indicator_id__in=old_to_new)
            .values_list("indicator_id", "strategynode_id")
        ], batch_size=BATCH)
        if carry_targets:
            milestones = [
                QuarterResult(indicator_id=old_to_new[indicator_id], quarter=quarter, target=value)
                for indicator_id, quarter, value in QuarterResult.objects.filter(
                    indicator_id__in=old_to_new, target__isnull=False).values_list("indicator_id", "quarter", "target")
            ]
            bulk_create_with_history(milestones, QuarterResult, batch_size=BATCH, default_user=actor,
                                     default_change_reason=reason)
        stored_status.refresh(old_to_new.values(), recount=False)
        status_counts.rebuild_years([new_year.pk])
        projects_created, projects_there = (_carry_projects(old_year, new_year, actor, reason) if carry_projects
                                            else (0, 0))
    return Rolled(year=target, created=len(copies), already_there=len(taken),
                  quarters_created=len(QUARTERS) - len(have), projects_created=projects_created,
                  projects_already_there=projects_there)
