"""The workbook format, as one table: each sheet and its columns in order.
Export, the template, the reader and the instructions sheet all read it, so
a new column (the five scoring thresholds of issue 12, say) is one entry
here; a column whose key is a field of the sheet's model needs nothing
else, since plan.py compares and writes such fields generically."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.validators import MaxLengthValidator
from django.db.models import Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from indicators import permissions
from indicators.criteria import FIELD_NAMES as CRITERIA_FIELDS
from indicators.models import QUARTERS, Agency, DistrictGroup, Indicator, StrategyNode
from projects.models import Milestone, Project

# Kinds of cell.
TEXT = "text"          # free text, kept as typed (ends trimmed)
CODE = "code"          # an identifier: digits typed as a number still read "2100"
NUMBER = "number"      # Decimal; Thai digits and thousands separators understood
INTEGER = "integer"
CHOICE = "choice"      # one of `choices`, by its Thai label or its stored value
BOOL = "bool"          # ใช่ / ไม่ใช่
CODES = "codes"        # several codes separated by commas or new lines
DATE = "date"          # day/month/BE year as typed in the forms (18/12/2569), or an Excel date
LINES = "lines"        # a list, one item a line (numbering optional): stored numbered (indicators/data_sources.py)

YES, NO = _("ใช่"), _("ไม่ใช่")


@dataclass(frozen=True)
class Column:
    key: str
    header: str | Promise
    kind: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[Any, Any], ...] = ()
    max_places: int | None = None      # decimals a NUMBER may have
    width: int = 16
    help: str | Promise = ""
    example: Any = None
    # Checks the typed value must pass (a model field's own validators).
    validators: tuple[Callable[[Any], None], ...] = ()


@dataclass(frozen=True)
class Sheet:
    key: str
    title: str | Promise
    model: type[Model] | None
    columns: tuple[Column, ...]
    help: str | Promise = ""
    by_key: dict[str, Column] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {column.key: column for column in self.columns})


def _max_length(model: type[Model], name: str) -> int | None:
    return getattr(model._meta.get_field(name), "max_length", None)


def _field(model: type[Model], name: str) -> Any:
    return model._meta.get_field(name)


def _label(model: type[Model], name: str) -> Any:
    return _field(model, name).verbose_name


def model_column(model: type[Model], name: str, kind: str = TEXT, **options: Any) -> Column:
    """A column for a model field: its Thai name as header, its length limit."""
    options.setdefault("header", _label(model, name))
    if kind in (TEXT, CODE, LINES):
        options.setdefault("max_length", _max_length(model, name))
    # The field's own checks (code pattern, e-mail, digits of a decimal, 0-4
    # decimal places...): bulk writes skip full_clean, so the reader runs them.
    options.setdefault("validators", tuple(
        v for v in _field(model, name).validators if not isinstance(v, MaxLengthValidator)))
    return Column(key=name, kind=kind, **options)


def milestone_key(quarter: int) -> str:
    return f"target_q{quarter}"


ROLE_CHOICES = (
    (permissions.REPORTER, _("เจ้าหน้าที่หน่วยงาน")),
    (permissions.EVALUATOR, _("ผู้ตรวจประเมิน")),
    (permissions.MANAGER, _("ผู้บริหาร")),
    (permissions.ADMINISTRATOR, _("ผู้ดูแลระบบ")),
)

GROUPS = Sheet("groups", _("กลุ่มเขต"), DistrictGroup, (
    model_column(DistrictGroup, "code", CODE, required=True, example="bangkok-central",
                 help=_("ตัวอักษรอังกฤษ ตัวเลข - และ _")),
    model_column(DistrictGroup, "name", required=True, width=30, example="กลุ่มกรุงเทพกลาง"),
    model_column(DistrictGroup, "order", INTEGER, example=1),
), help=_("กลุ่มการปฏิบัติงานของสำนักงานเขต"))

AGENCIES = Sheet("agencies", _("หน่วยงาน"), Agency, (
    model_column(Agency, "code", CODE, required=True, example="2100"),
    model_column(Agency, "name", required=True, width=40, example="สำนักยุทธศาสตร์และประเมินผล"),
    model_column(Agency, "short_name", example="สยป."),
    model_column(Agency, "kind", CHOICE, required=True, choices=tuple(Agency.Kind.choices),
                 example=Agency.Kind.DEPARTMENT.label),
    Column("district_group", _("รหัสกลุ่มเขต"), CODE, max_length=50,
           help=_("เฉพาะสำนักงานเขต: รหัสจากแผ่นงานกลุ่มเขต")),
))

PLAN = Sheet("plan", _("แผนยุทธศาสตร์"), StrategyNode, (
    model_column(StrategyNode, "code", CODE, required=True, example="5.2.1.1",
                 help=_("เลขอารบิกหรือเลขไทยก็ได้ ระบบเก็บเป็นเลขอารบิก")),
    model_column(StrategyNode, "level", CHOICE, required=True, choices=tuple(StrategyNode.Level.choices),
                 example=StrategyNode.Level.OBJECTIVE.label),
    model_column(StrategyNode, "title", required=True, width=50,
                 example="รับฟังความคิดเห็นของประชาชนผ่าน \"สภาประชาชนกรุงเทพมหานคร\""),
    Column("parent", _("รหัสระดับบน"), CODE, max_length=20, example="5.2.1",
           help=_("ว่างไว้สำหรับระดับด้าน")),
))

INDICATORS = Sheet("indicators", _("ตัวชี้วัด"), Indicator, (
    Column("fiscal_year", _("ปีงบประมาณ (พ.ศ.)"), INTEGER, example=2570,
           help=_("ว่างได้เมื่อเลือกปีตอนนำเข้า")),
    model_column(Indicator, "code", CODE, required=True, example="2100-1037"),
    model_column(Indicator, "name", required=True, width=50,
                 example="กลุ่มการปฏิบัติงานของสำนักงานเขตมีรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่"),
    Column("owner", _("รหัสหน่วยงานเจ้าของ"), CODE, required=True, max_length=20, example="2100"),
    model_column(Indicator, "unit", required=True, example="เล่ม"),
    model_column(Indicator, "annual_target", NUMBER, max_places=4, example=6,
                 help=_("ว่างได้เมื่อยังไม่กำหนด")),
    *(Column(milestone_key(q), _("เป้าหมายไตรมาส %(q)s") % {"q": q}, NUMBER, max_places=4, width=12,
             help=_("ว่างไว้เพื่อใช้ค่าเป้าหมายทั้งปี")) for q in QUARTERS),
    model_column(Indicator, "category", required=True, width=24, example="ตัวชี้วัดเชิงยุทธศาสตร์"),
    model_column(Indicator, "result_chain_level", width=24, example="ตัวชี้วัดระดับผลผลิต (output)"),
    model_column(Indicator, "weight", NUMBER, max_places=2, example=0),
    # The five-level scoring criteria (issue 12): all five or none, in the
    # direction's order; checked by criteria.validate_criteria.
    *(model_column(Indicator, name, NUMBER, max_places=4, width=11,
                   help=_("ว่างทั้งห้าช่องถ้าไม่ใช้เกณฑ์ 5 ระดับ")) for name in CRITERIA_FIELDS),
    model_column(Indicator, "aggregation", CHOICE, required=True, choices=tuple(Indicator.Aggregation.choices),
                 example=Indicator.Aggregation.CUMULATIVE.label),
    model_column(Indicator, "direction", CHOICE, required=True, choices=tuple(Indicator.Direction.choices),
                 example=Indicator.Direction.HIGHER_IS_BETTER.label),
    model_column(Indicator, "decimal_places", INTEGER, example=0, help=_("0 ถึง 4")),
    model_column(Indicator, "allows_negative", BOOL, example=NO),
    model_column(Indicator, "reports_by_district_group", BOOL, example=YES),
    Column("strategy_nodes", _("รหัสแผนยุทธศาสตร์ที่สนับสนุน"), CODES, width=20, example="5.2.1.1",
           help=_("ระดับเป้าประสงค์ คั่นหลายรหัสด้วยจุลภาค")),
    model_column(Indicator, "definition", width=40),
    model_column(Indicator, "calculation_method", width=40),
    model_column(Indicator, "data_sources", LINES, width=40,
                 example="หนังสือเชิญประชุม\nภาพถ่ายการจัดกิจกรรม",
                 help=_("หนึ่งรายการต่อบรรทัด แต่ละรายการเป็นหลักฐานที่หน่วยงานต้องแนบในรายงานผลรายไตรมาส")),
    model_column(Indicator, "operations_summary", width=40),
    model_column(Indicator, "supporting_projects", width=40),
))

User = get_user_model()

STAFF = Sheet("staff", _("เจ้าหน้าที่"), User, (
    model_column(User, "username", CODE, required=True, header=_("ชื่อผู้ใช้"), example="somchai.j"),
    model_column(User, "first_name", header=_("ชื่อ"), example="สมชาย"),
    model_column(User, "last_name", header=_("นามสกุล"), example="ใจดี"),
    model_column(User, "email", header=_("อีเมล"), width=28, example="somchai.j@example.go.th",
                 help=_("ผู้ใช้ใหม่ได้รับลิงก์ตั้งรหัสผ่านทางอีเมลนี้")),
    Column("role", _("บทบาท"), CHOICE, required=True, choices=ROLE_CHOICES, example=ROLE_CHOICES[0][1]),
    Column("agencies", _("รหัสหน่วยงาน"), CODES, example="2100", help=_("คั่นหลายรหัสด้วยจุลภาค")),
), help=_("ไม่มีการเปลี่ยนรหัสผ่านของผู้ใช้เดิม"))

_LONG = settings.LONG_TEXT_MAX_LENGTH
_DATE_HELP = _("วัน/เดือน/ปี พ.ศ. เช่น 18/12/2569")

# A project is (fiscal year, code), as an indicator; it refers to its owner,
# districts and the year's indicators by code, and to last year's project
# it continues by that project's code.
PROJECTS = Sheet("projects", _("โครงการ"), Project, (
    Column("fiscal_year", _("ปีงบประมาณ (พ.ศ.)"), INTEGER, example=2570,
           help=_("ว่างได้เมื่อเลือกปีตอนนำเข้า")),
    model_column(Project, "code", CODE, required=True, example="2100-0012",
                 help=_("รหัสหน่วยงาน ตามด้วย - และเลขลำดับ")),
    model_column(Project, "name", required=True, max_length=1000, width=50,
                 example="โครงการรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต"),
    Column("owner", _("รหัสหน่วยงานเจ้าของ"), CODE, required=True, max_length=20, example="2100"),
    model_column(Project, "responsible_name", width=24, example="นางสาวสมศรี รักงาน"),
    model_column(Project, "responsible_phone", example="02 224 1234 ต่อ 1520"),
    Column("responsible_user", _("ชื่อผู้ใช้ของผู้รับผิดชอบ"), CODE, max_length=150, example="somchai.j",
           help=_("ไม่บังคับ: ชื่อผู้ใช้ในระบบหรือในแผ่นงานเจ้าหน้าที่")),
    model_column(Project, "rationale", max_length=_LONG, width=40),
    model_column(Project, "objectives", max_length=_LONG, width=40),
    model_column(Project, "target_group", max_length=_LONG, width=30),
    Column("districts", _("รหัสสำนักงานเขตที่ดำเนินการ"), CODES, max_length=20, width=20, example="1001, 1002",
           help=_("รหัสหน่วยงานประเภทสำนักงานเขต คั่นหลายรหัสด้วยจุลภาค")),
    *(model_column(Project, name, DATE, width=12, help=_DATE_HELP, example=example)
      for name, example in (("planned_start", datetime.date(2026, 10, 1)), ("planned_finish", datetime.date(2027, 9, 30)),
                            ("actual_start", None), ("actual_finish", None))),
    model_column(Project, "budget_allocated", NUMBER, max_places=2, example=500000),
    model_column(Project, "budget_source", width=24, example="งบประมาณกรุงเทพมหานคร"),
    Column("continues_from", _("รหัสโครงการปีก่อน"), CODE, max_length=30,
           help=_("ถ้าต่อเนื่องจากโครงการของปีงบประมาณก่อนหน้า")),
    Column("indicators", _("รหัสตัวชี้วัดที่สนับสนุน"), CODES, max_length=30, width=20, example="2100-1037",
           help=_("ตัวชี้วัดของปีงบประมาณเดียวกัน คั่นหลายรหัสด้วยจุลภาค")),
), help=_("โครงการ/กิจกรรมของปีงบประมาณ"))

# An activity is (project code, order) within the year; a project's weights total 100.
MILESTONES = Sheet("milestones", _("กิจกรรม"), Milestone, (
    Column("project", _("รหัสโครงการ"), CODE, required=True, max_length=30, example="2100-0012"),
    model_column(Milestone, "order", INTEGER, required=True, example=1, help=_("ลำดับกิจกรรมในโครงการ")),
    model_column(Milestone, "name", required=True, width=40, example="จัดประชุมรับฟังความคิดเห็น"),
    model_column(Milestone, "weight", NUMBER, required=True, max_places=2, example=40,
                 help=_("น้ำหนักของกิจกรรมทั้งหมดในโครงการรวมกันต้องเท่ากับ 100")),
    *(model_column(Milestone, name, DATE, width=12, help=_DATE_HELP, example=example)
      for name, example in (("planned_start", datetime.date(2026, 11, 1)), ("planned_finish", datetime.date(2027, 1, 31)))),
))

# In the order they are written and applied: what a row refers to comes
# first. A workbook holds any of them (staff alone, say); those it lacks are
# left as they are.
SHEETS = (GROUPS, AGENCIES, PLAN, INDICATORS, STAFF, PROJECTS, MILESTONES)
# What an export of indicators carries (never the staff; the projects are
# written after it, of the projects the user may see).
EXPORTED = (GROUPS, AGENCIES, PLAN, INDICATORS)
# A row whose first cell starts with this is an example, never imported.
EXAMPLE_MARK = _("ตัวอย่าง")
