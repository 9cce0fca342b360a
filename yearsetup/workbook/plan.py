"""The dry run: a read workbook compared with the database. Says what would
be created, updated or left unchanged, which rows of the year are not in
the file (left alone: an import never deletes), which scored indicators'
targets would change, and every problem (sheet, row, column, Thai message).
apply.py writes exactly a plan without problems.

Identity is the code (the username for staff); an indicator's is (fiscal
year, code), so importing the same file again changes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import F, Field, Model
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.criteria import FIELD_NAMES as CRITERIA_FIELDS
from indicators.criteria import validate_criteria
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
from projects.models import Milestone, Project
from projects.progress import weights_refusal

from . import columns as spec
from .read import Problem, Row, Workbook, column_name

# The preview lists this many rows of each list; the counts are always whole.
SHOWN = 200


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    not_in_file: int = 0


@dataclass
class Change:
    """One object the import would create or update: the object (new or
    loaded, with the file's values set on it), which fields change, and
    references by code that apply.py resolves once what they name exists."""

    obj: Any
    fields: list[str]
    refs: dict[str, Any] = field(default_factory=dict)

    @property
    def created(self) -> bool:
        return self.obj.pk is None


@dataclass
class Plan:
    year: int | None = None
    file_name: str = ""
    counts: dict[str, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, list[Change]] = field(default_factory=lambda: defaultdict(list))
    not_in_file: list[str] = field(default_factory=list)
    scored_target_changes: list[str] = field(default_factory=list)
    # Quarter targets: (indicator code, quarter) -> (the existing row's pk or None, new target).
    milestones: dict[tuple[str, int], tuple[int | None, Decimal | None]] = field(default_factory=dict)
    # Strategy links of indicators whose column is in the file: code -> node codes.
    links: dict[str, list[str]] = field(default_factory=dict)
    # Codes of indicators whose links change.
    links_changed: set[str] = field(default_factory=set)
    # Staff: username -> (role, agency codes or None when the column is absent).
    staff: dict[str, tuple[str | None, list[str] | None]] = field(default_factory=dict)
    # Projects whose column is in the file: code -> district office codes, indicator codes.
    project_districts: dict[str, list[str]] = field(default_factory=dict)
    project_indicators: dict[str, list[str]] = field(default_factory=dict)
    # Codes of projects whose districts or indicators change.
    project_links_changed: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        """What the preview shows, as JSON (kept with the job)."""
        titles = {sheet.key: str(sheet.title) for sheet in spec.SHEETS}
        headers = {sheet.key: {c.key: str(c.header) for c in sheet.columns} for sheet in spec.SHEETS}
        updated = [
            {"sheet": titles[key], "key": _key_of(key, change),
             "fields": [headers[key].get(name, name) for name in change.fields]}
            for key, changes in self.changes.items() for change in changes if not change.created and change.fields
        ]
        order = {title: index for index, title in enumerate(titles.values())}
        problems = sorted(self.problems, key=lambda p: (order.get(p.sheet, -1), p.row or 0))
        return {
            "year": self.year,
            "file_name": self.file_name,
            "ok": self.ok,
            "counts": [{"sheet": titles[key], **vars(counts)} for key, counts in self.counts.items()],
            "problems": [problem.as_dict() for problem in problems[:SHOWN * 5]],
            "problem_count": len(self.problems),
            "not_in_file": self.not_in_file[:SHOWN],
            "not_in_file_count": len(self.not_in_file),
            "scored_target_changes": self.scored_target_changes[:SHOWN],
            "updated": updated[:SHOWN],
        }


def _key_of(sheet_key: str, change: Change) -> str:
    if sheet_key == spec.STAFF.key:
        return str(change.obj.username)
    if sheet_key == spec.MILESTONES.key:
        return f"{change.refs['project']} #{change.obj.order}"
    return str(change.obj.code)


def _model_field(sheet: spec.Sheet, key: str) -> Field[Any, Any] | None:
    """The sheet's model field a column writes directly, if it is one."""
    assert sheet.model is not None
    try:
        model_field = sheet.model._meta.get_field(key)
    except Exception:
        return None
    if not isinstance(model_field, Field) or model_field.is_relation:
        return None
    return model_field


def _blank(model_field: Field[Any, Any]) -> Any:
    return None if model_field.null else model_field.get_default()


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, Decimal) or isinstance(new, Decimal):
        if old is None or new is None:
            return old is new
        return Decimal(old) == Decimal(new)
    return bool(old == new)


class Planner:
    def __init__(self, book: Workbook, *, year: int | None, allow_scored_target_change: bool, file_name: str):
        self.book = book
        self.allow_scored = allow_scored_target_change
        self.plan = Plan(year=year, file_name=file_name, problems=list(book.problems))

    def problem(self, sheet: spec.Sheet, row: Row, key: str, message: str) -> None:
        column = sheet.by_key[key]
        letter = row.letters.get(key, "")
        self.plan.problems.append(Problem(str(sheet.title), row.number, column_name(letter, column), message))

    # --- generic -------------------------------------------------------------

    def _rows_by_key(self, sheet: spec.Sheet, key: str) -> dict[str, Row]:
        """The sheet's rows by identity; a repeated one is a problem."""
        seen: dict[str, Row] = {}
        for row in self.book.rows.get(sheet.key, []):
            value = row.values.get(key)
            if not value:
                continue
            if value in seen:
                self.problem(sheet, row, key, _("รหัส “%(code)s” ซ้ำกับแถวที่ %(n)s")
                             % {"code": value, "n": seen[value].number})
                continue
            seen[value] = row
        return seen

    def _set_fields(self, sheet: spec.Sheet, obj: Model, row: Row, skip: tuple[str, ...] = ()) -> list[str]:
        """Sets the row's values of plain model fields on obj; the names changed."""
        changed = []
        for key, value in row.values.items():
            model_field = _model_field(sheet, key)
            if model_field is None or key in skip:
                continue
            new = _blank(model_field) if value is None else value
            if obj.pk is None or not _same(getattr(obj, key), new):
                setattr(obj, key, new)
                if obj.pk is not None:
                    changed.append(key)
        return changed

    def _not_in_file(self, sheet: spec.Sheet, model: type[Model], codes: dict[str, Row]) -> None:
        if self.book.present(sheet):
            counts = self.plan.counts.setdefault(sheet.key, Counts())
            counts.not_in_file = model._default_manager.exclude(code__in=codes).count()

    def _count(self, sheet: spec.Sheet, change: Change, changed: bool) -> None:
        counts = self.plan.counts.setdefault(sheet.key, Counts())
        if change.created:
            counts.created += 1
        elif changed:
            counts.updated += 1
        else:
            counts.unchanged += 1
        if change.created or changed:
            self.plan.changes[sheet.key].append(change)

    # --- sheets --------------------------------------------------------------

    def groups(self) -> set[str]:
        sheet = spec.GROUPS
        rows = self._rows_by_key(sheet, "code")
        existing = {g.code: g for g in DistrictGroup.objects.filter(code__in=rows)}
        for code, row in rows.items():
            obj = existing.get(code) or DistrictGroup(code=code)
            change = Change(obj, self._set_fields(sheet, obj, row))
            self._count(sheet, change, bool(change.fields))
        self._not_in_file(sheet, DistrictGroup, rows)
        return set(rows) | set(DistrictGroup.objects.values_list("code", flat=True))

    def agencies(self, group_codes: set[str]) -> set[str]:
        sheet = spec.AGENCIES
        rows = self._rows_by_key(sheet, "code")
        existing = {a.code: a for a in Agency.objects.select_related("district_group").filter(code__in=rows)}
        for code, row in rows.items():
            obj = existing.get(code) or Agency(code=code)
            fields = self._set_fields(sheet, obj, row)
            refs = {}
            if "district_group" in row.values:
                group = row.values["district_group"]
                if group and group not in group_codes:
                    self.problem(sheet, row, "district_group", _("ไม่พบกลุ่มเขตรหัส “%(code)s”") % {"code": group})
                old = obj.district_group.code if obj.pk and obj.district_group else None
                refs["district_group"] = group
                if obj.pk and old != group:
                    fields.append("district_group")
            change = Change(obj, fields, refs)
            self._count(sheet, change, bool(fields))
        self._not_in_file(sheet, Agency, rows)
        return set(rows) | set(Agency.objects.values_list("code", flat=True))

    def strategy_plan(self) -> set[str]:
        sheet = spec.PLAN
        rows = self._rows_by_key(sheet, "code")
        existing = {n.code: n for n in StrategyNode.objects.select_related("parent")}
        levels: dict[str, int | None] = {code: node.level for code, node in existing.items()}
        levels.update({code: row.values.get("level") for code, row in rows.items()})
        for code, row in rows.items():
            obj = existing.get(code) or StrategyNode(code=code)
            fields = self._set_fields(sheet, obj, row)
            refs = {}
            parent = row.values.get("parent")
            level = row.values.get("level")
            if "parent" in row.values:
                if parent and parent not in levels:
                    self.problem(sheet, row, "parent", _("ไม่พบแผนยุทธศาสตร์รหัส “%(code)s”") % {"code": parent})
                elif parent and level is not None and levels[parent] != level - 1:
                    self.problem(sheet, row, "parent", _("ระดับบนของรหัส “%(code)s” ต้องอยู่สูงกว่าหนึ่งระดับ")
                                 % {"code": code})
                elif not parent and level not in (None, StrategyNode.Level.DIMENSION):
                    self.problem(sheet, row, "parent", _("ต้องระบุรหัสระดับบน"))
                refs["parent"] = parent or None
                old = obj.parent.code if obj.pk and obj.parent else None
                if obj.pk and old != (parent or None):
                    fields.append("parent")
            change = Change(obj, fields, refs)
            self._count(sheet, change, bool(fields))
        self._not_in_file(sheet, StrategyNode, rows)
        return set(levels)

    def _year(self) -> int | None:
        """The year the file is of: chosen at import, or the one year its
        indicators and projects say (their rows must agree with it)."""
        dated = [sheet for sheet in (spec.INDICATORS, spec.PROJECTS, spec.MILESTONES) if self.book.rows.get(sheet.key)]
        sheet = dated[0] if dated else spec.INDICATORS
        chosen = self.plan.year
        years = set()
        for dated_sheet in (spec.INDICATORS, spec.PROJECTS):
            for row in self.book.rows.get(dated_sheet.key, []):
                year = row.values.get("fiscal_year")
                if year is None:
                    continue
                if chosen is not None and year != chosen:
                    self.problem(dated_sheet, row, "fiscal_year",
                                 _("ปีงบประมาณ %(y)s ไม่ตรงกับปีที่เลือกนำเข้า (%(c)s)") % {"y": year, "c": chosen})
                years.add(year)
        if chosen is None and len(years) == 1:
            chosen = years.pop()
        elif chosen is None and dated:
            self.plan.problems.append(Problem(
                str(sheet.title), None, str(sheet.by_key["fiscal_year"].header if "fiscal_year" in sheet.by_key else ""),
                _("ระบุปีงบประมาณที่จะนำเข้า (ในไฟล์มี %(n)s ปี)") % {"n": len(years)}))
        if chosen is not None and not 2400 <= chosen <= 2800:
            self.plan.problems.append(Problem(str(sheet.title), None, "",
                                              _("ปีงบประมาณต้องเป็นปีพุทธศักราช เช่น 2570")))
            chosen = None
        self.plan.year = chosen
        return chosen

    def indicators(self, agency_codes: set[str], node_codes: set[str]) -> set[str]:
        """The indicators' plan; the codes the year will have (for the projects)."""
        sheet = spec.INDICATORS
        year = self.plan.year
        rows = self._rows_by_key(sheet, "code")
        if year is None:
            return set()
        if not self.book.present(sheet):
            return set(Indicator.objects.filter(fiscal_year__year=year).values_list("code", flat=True))
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        quarters = set(Quarter.objects.filter(fiscal_year=fiscal_year).values_list("number", flat=True)) \
            if fiscal_year else set()
        existing = {i.code: i for i in Indicator.objects.filter(fiscal_year=fiscal_year).select_related("owner")} \
            if fiscal_year else {}
        links: dict[int, set[str]] = defaultdict(set)
        # (indicator, quarter) -> (pk, target, score 2.2): plain values, not
        # 10,000 model instances; apply.py loads the few rows it changes.
        results: dict[tuple[int, int], tuple[int, Decimal | None, Decimal | None]] = {}
        if fiscal_year:
            through = Indicator.strategy_nodes.through.objects.filter(indicator__fiscal_year=fiscal_year)
            for indicator_id, node_code in through.values_list("indicator_id", "strategynode__code"):
                links[indicator_id].add(node_code)
            for pk, indicator_id, quarter, target, score in QuarterResult.objects.filter(
                    indicator__fiscal_year=fiscal_year).values_list("pk", "indicator_id", "quarter", "target",
                                                                     "score_confirmed"):
                results[(indicator_id, quarter)] = (pk, target, score)
        self.plan.not_in_file = sorted(set(existing) - set(rows))
        self.plan.counts.setdefault(sheet.key, Counts()).not_in_file = len(self.plan.not_in_file)
        for code, row in rows.items():
            obj = existing.get(code) or Indicator(code=code, fiscal_year=fiscal_year)
            fields = self._set_fields(sheet, obj, row, skip=("fiscal_year",))
            owner = row.values.get("owner")
            if owner and owner not in agency_codes:
                self.problem(sheet, row, "owner", _("ไม่พบหน่วยงานรหัส “%(code)s”") % {"code": owner})
            refs = {"owner": owner}
            if obj.pk and owner and obj.owner.code != owner:
                fields.append("owner")
            target_changed = "annual_target" in fields
            for quarter in QUARTERS:
                key = spec.milestone_key(quarter)
                if key not in row.values:
                    continue
                target = row.values[key]
                found = results.get((obj.pk, quarter)) if obj.pk else None
                old = found[1] if found else None
                if target is not None and quarters and quarter not in quarters:
                    self.problem(sheet, row, key, _("ปีงบประมาณ %(y)s ไม่มีไตรมาส %(q)s") % {"y": year, "q": quarter})
                if not _same(old, target):
                    self.plan.milestones[(code, quarter)] = (found[0] if found else None, target)
                    if obj.pk:
                        fields.append(key)
                        target_changed = True
            if "strategy_nodes" in row.values:
                wanted = row.values["strategy_nodes"]
                for node in wanted:
                    if node not in node_codes:
                        self.problem(sheet, row, "strategy_nodes",
                                     _("ไม่พบแผนยุทธศาสตร์รหัส “%(code)s”") % {"code": node})
                self.plan.links[code] = wanted
                if set(wanted) != (links.get(obj.pk, set()) if obj.pk else set()):
                    self.plan.links_changed.add(code)
                    if obj.pk:
                        fields.append("strategy_nodes")
            final = results.get((obj.pk, QUARTERS[-1])) if obj.pk else None
            if target_changed and final is not None and final[2] is not None:
                self.plan.scored_target_changes.append(code)
                if not self.allow_scored:
                    self.problem(sheet, row, "annual_target", _(
                        "ไตรมาสที่ 4 ของตัวชี้วัดนี้ประเมินแล้ว การเปลี่ยนค่าเป้าหมายต้องเลือก "
                        "“ยืนยันเปลี่ยนค่าเป้าหมายของตัวชี้วัดที่ประเมินไตรมาส 4 แล้ว”"))
            self._check_criteria(sheet, row, obj)
            change = Change(obj, fields, refs)
            self._count(sheet, change, bool(fields))
        return set(existing) | set(rows)

    def _check_criteria(self, sheet: spec.Sheet, row: Row, indicator: Indicator) -> None:
        """The five thresholds as the indicator will have them, by the one
        rule the admin uses too."""
        try:
            validate_criteria([getattr(indicator, name) for name in CRITERIA_FIELDS], indicator.direction)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.problem(sheet, row, name, " ".join(messages))

    def staff(self, agency_codes: set[str]) -> None:
        sheet = spec.STAFF
        if not self.book.present(sheet):
            return
        from django.contrib.auth import get_user_model

        rows = self._rows_by_key(sheet, "username")
        existing = {u.username: u for u in get_user_model().objects.filter(username__in=rows)}
        roles: dict[int, set[str]] = defaultdict(set)
        memberships: dict[int, set[str]] = defaultdict(set)
        ids = [user.pk for user in existing.values()]
        for user_id, name in Group.objects.filter(user__in=ids).values_list("user", "name"):
            roles[user_id].add(name)
        for user_id, code in Agency.members.through.objects.filter(user_id__in=ids).values_list(
                "user_id", "agency__code"):
            memberships[user_id].add(code)
        for username, row in rows.items():
            obj = existing.get(username) or get_user_model()(username=username)
            fields = self._set_fields(sheet, obj, row)
            role = row.values.get("role")
            wanted_agencies = row.values.get("agencies") if "agencies" in row.values else None
            for code in wanted_agencies or ():
                if code not in agency_codes:
                    self.problem(sheet, row, "agencies", _("ไม่พบหน่วยงานรหัส “%(code)s”") % {"code": code})
            if role == permissions.REPORTER and "agencies" in row.values and not wanted_agencies:
                self.problem(sheet, row, "agencies", _("เจ้าหน้าที่หน่วยงานต้องมีรหัสหน่วยงานอย่างน้อยหนึ่งรหัส"))
            self.plan.staff[username] = (role, wanted_agencies)
            if obj.pk:
                if role and (roles[obj.pk] & set(permissions.ROLES)) != {role}:
                    fields.append("role")
                if wanted_agencies is not None and set(wanted_agencies) != memberships[obj.pk]:
                    fields.append("agencies")
            self._count(sheet, Change(obj, fields), bool(fields))

    # --- projects ------------------------------------------------------------

    def _agency_kinds(self) -> dict[str, str]:
        kinds = dict(Agency.objects.values_list("code", "kind"))
        for row in self.book.rows.get(spec.AGENCIES.key, []):
            if row.values.get("code") and row.values.get("kind"):
                kinds[row.values["code"]] = row.values["kind"]
        return kinds

    def _dates_in_order(self, sheet: spec.Sheet, row: Row, obj: Model) -> None:
        for start, finish in (("planned_start", "planned_finish"), ("actual_start", "actual_finish")):
            first, last = getattr(obj, start, None), getattr(obj, finish, None)
            if first and last and first > last and finish in sheet.by_key:
                message = (_("วันสิ้นสุดตามแผนต้องไม่ก่อนวันเริ่มตามแผน") if start == "planned_start"
                           else _("วันสิ้นสุดจริงต้องไม่ก่อนวันเริ่มจริง"))
                self.problem(sheet, row, finish if finish in row.values else start, message)

    def _codes_of(self, sheet: spec.Sheet, row: Row, key: str, known: Any, missing: str) -> list[str]:
        """The codes of a CODES cell, each unknown one a problem."""
        wanted = list(row.values.get(key) or [])
        for code in wanted:
            if code not in known:
                self.problem(sheet, row, key, missing % {"code": code, "y": self.plan.year})
        return wanted

    def projects(self, agency_codes: set[str], indicator_codes: set[str]) -> set[str]:
        """The projects' plan (identity: year and code); the codes the year
        will have (for the activities)."""
        sheet = spec.PROJECTS
        year = self.plan.year
        rows = self._rows_by_key(sheet, "code")
        if year is None:
            return set()
        fiscal_year = FiscalYear.objects.filter(year=year).first()
        in_year = Project.objects.filter(fiscal_year=fiscal_year)
        if not self.book.present(sheet):
            return set(in_year.values_list("code", flat=True)) if fiscal_year else set()
        existing = {p.code: p for p in in_year.select_related("owner", "responsible_user", "continues_from")} \
            if fiscal_year else {}
        districts: dict[int, set[str]] = defaultdict(set)
        indicators: dict[int, set[str]] = defaultdict(set)
        if fiscal_year:
            for project_id, code in Project.districts.through.objects.filter(
                    project__fiscal_year=fiscal_year).values_list("project_id", "agency__code"):
                districts[project_id].add(code)
            for project_id, code in Project.indicators.through.objects.filter(
                    project__fiscal_year=fiscal_year).values_list("project_id", "indicator__code"):
                indicators[project_id].add(code)
        previous = set(Project.objects.filter(fiscal_year__year=year - 1).values_list("code", flat=True))
        kinds = self._agency_kinds()
        wanted_users = {row.values["responsible_user"] for row in rows.values() if row.values.get("responsible_user")}
        users: set[str] = set(get_user_model().objects.filter(username__in=wanted_users)
                              .values_list("username", flat=True))
        users |= {str(row.values.get("username")) for row in self.book.rows.get(spec.STAFF.key, [])}
        # Last year's project each of this year's will continue: one at most (a one-to-one).
        continued = {code: p.continues_from.code for code, p in existing.items() if p.continues_from is not None}
        self.plan.counts.setdefault(sheet.key, Counts()).not_in_file = len(set(existing) - set(rows))
        for code, row in rows.items():
            obj = existing.get(code) or Project(code=code, fiscal_year=fiscal_year)
            fields = self._set_fields(sheet, obj, row, skip=("fiscal_year",))
            owner = row.values.get("owner")
            if owner and owner not in agency_codes:
                self.problem(sheet, row, "owner", _("ไม่พบหน่วยงานรหัส “%(code)s”") % {"code": owner})
            refs: dict[str, Any] = {"owner": owner}
            if obj.pk and owner and obj.owner.code != owner:
                fields.append("owner")
            if "responsible_user" in row.values:
                username = row.values["responsible_user"] or None
                if username and username not in users:
                    self.problem(sheet, row, "responsible_user", _("ไม่พบผู้ใช้ “%(u)s”") % {"u": username})
                refs["responsible_user"] = username
                old = obj.responsible_user.get_username() if obj.pk and obj.responsible_user else None
                if obj.pk and old != username:
                    fields.append("responsible_user")
            if "continues_from" in row.values:
                earlier = row.values["continues_from"] or None
                if earlier and earlier not in previous:
                    self.problem(sheet, row, "continues_from", _("ไม่พบโครงการรหัส “%(code)s” ในปีงบประมาณ %(y)s")
                                 % {"code": earlier, "y": year - 1})
                refs["continues_from"] = earlier
                old = obj.continues_from.code if obj.pk and obj.continues_from else None
                if obj.pk and old != earlier:
                    fields.append("continues_from")
                continued.pop(code, None)
                if earlier:
                    continued[code] = earlier
            if "districts" in row.values:
                wanted = self._codes_of(sheet, row, "districts", kinds, _("ไม่พบหน่วยงานรหัส “%(code)s”"))
                for district in wanted:
                    if district in kinds and kinds[district] != Agency.Kind.DISTRICT_OFFICE:
                        self.problem(sheet, row, "districts",
                                     _("หน่วยงานรหัส “%(code)s” ไม่ใช่สำนักงานเขต") % {"code": district})
                self.plan.project_districts[code] = wanted
                if set(wanted) != (districts[obj.pk] if obj.pk else set()):
                    self.plan.project_links_changed.add(code)
                    if obj.pk:
                        fields.append("districts")
            if "indicators" in row.values:
                wanted = self._codes_of(sheet, row, "indicators", indicator_codes,
                                        _("ไม่พบตัวชี้วัดรหัส “%(code)s” ในปีงบประมาณ %(y)s"))
                self.plan.project_indicators[code] = wanted
                if set(wanted) != (indicators[obj.pk] if obj.pk else set()):
                    self.plan.project_links_changed.add(code)
                    if obj.pk:
                        fields.append("indicators")
            self._dates_in_order(sheet, row, obj)
            self._count(sheet, Change(obj, fields, refs), bool(fields))
        claimed: dict[str, str] = {}
        for code in sorted(continued):
            earlier = continued[code]
            if earlier in claimed and code in rows:
                self.problem(sheet, rows[code], "continues_from",
                             _("โครงการรหัส “%(code)s” ของปีก่อนมีโครงการ “%(other)s” ต่อเนื่องอยู่แล้ว")
                             % {"code": earlier, "other": claimed[earlier]})
            claimed.setdefault(earlier, code)
        return set(existing) | set(rows)

    def milestones(self, project_codes: set[str]) -> None:
        """The activities' plan: identity (year, project code, order); the
        weights of each project named in the sheet, with its activities the
        file leaves out, must total 100."""
        sheet = spec.MILESTONES
        if not self.book.present(sheet):
            return
        year = self.plan.year
        book_rows = self.book.rows.get(sheet.key, [])
        if year is None:
            if book_rows and not self.book.rows.get(spec.PROJECTS.key) and not self.book.rows.get(spec.INDICATORS.key):
                self.plan.problems.append(Problem(str(sheet.title), None, "",
                                                  _("ระบุปีงบประมาณที่จะนำเข้า")))
            return
        existing: dict[tuple[str, int], Milestone] = {
            (m.project_code, m.order): m for m in Milestone.objects.filter(project__fiscal_year__year=year)
            .annotate(project_code=F("project__code")).order_by("pk")}
        weights: dict[str, dict[int, Decimal]] = defaultdict(dict)
        for (existing_code, existing_order), milestone in existing.items():
            weights[existing_code][existing_order] = milestone.weight
        seen: dict[tuple[str, int], Row] = {}
        first_rows: dict[str, Row] = {}
        for row in book_rows:
            code, order = str(row.values.get("project") or ""), row.values.get("order")
            if not code or order is None:
                continue
            if (code, order) in seen:
                self.problem(sheet, row, "order", _("กิจกรรมลำดับ %(order)s ของโครงการ “%(code)s” ซ้ำกับแถวที่ %(n)s")
                             % {"order": order, "code": code, "n": seen[(code, order)].number})
                continue
            seen[(code, order)] = row
            if code not in project_codes:
                self.problem(sheet, row, "project", _("ไม่พบโครงการรหัส “%(code)s” ในปีงบประมาณ %(y)s")
                             % {"code": code, "y": year})
                continue
            first_rows.setdefault(code, row)
            obj = existing.get((code, order)) or Milestone(order=order)
            fields = self._set_fields(sheet, obj, row)
            if row.values.get("weight") is not None:
                weights[code][order] = row.values["weight"]
            self._dates_in_order(sheet, row, obj)
            self._count(sheet, Change(obj, fields, {"project": code}), bool(fields))
        for code, row in first_rows.items():
            refusal = weights_refusal(weights[code].values())
            if refusal:
                self.problem(sheet, row, "weight", _("โครงการ “%(code)s”: %(why)s") % {"code": code, "why": refusal})
        self.plan.counts.setdefault(sheet.key, Counts()).not_in_file = len(set(existing) - set(seen))

    def run(self) -> Plan:
        groups = self.groups()
        agencies = self.agencies(groups)
        nodes = self.strategy_plan()
        self._year()
        indicator_codes = self.indicators(agencies, nodes)
        self.staff(agencies)
        project_codes = self.projects(agencies, indicator_codes)
        self.milestones(project_codes)
        for sheet in spec.SHEETS:
            if self.book.present(sheet):
                self.plan.counts.setdefault(sheet.key, Counts())
        order = [sheet.key for sheet in spec.SHEETS]
        self.plan.counts = dict(sorted(self.plan.counts.items(), key=lambda item: order.index(item[0])))
        return self.plan


def make_plan(book: Workbook, *, year: int | None = None, allow_scored_target_change: bool = False,
              file_name: str = "") -> Plan:
    """The dry run of this workbook against the database; writes nothing."""
    return Planner(book, year=year, allow_scored_target_change=allow_scored_target_change,
                   file_name=file_name).run()
