"""The workbook written from the database, in exactly the format read.py
reads (columns.py), so export -> import changes nothing; and the template:
the same sheets with a header row, an example row and no data. Both carry
drop-down lists for the choice columns and an instructions sheet."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from indicators.dates import format_date_input
from indicators.models import Agency, DistrictGroup, Indicator, QuarterResult, StrategyNode
from indicators.permissions import AnyUser
from projects.models import Milestone, Project
from projects.permissions import visible_projects

from . import columns as spec
from .language import in_thai

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")
# Drop-down lists reach this far below the data.
VALIDATED_ROWS = 5000


def cell_value(column: spec.Column, value: Any) -> Any:
    """What a cell holds for a value read back as `value`."""
    if value is None or value == [] or value == "":
        return None
    if column.kind == spec.CHOICE:
        return str(dict(column.choices).get(value, value))
    if column.kind == spec.BOOL:
        return str(spec.YES if value else spec.NO)
    if column.kind == spec.CODES:
        return ", ".join(value)
    if column.kind == spec.DATE:
        return format_date_input(value, "th")
    if column.kind == spec.NUMBER:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else Decimal(f"{number.normalize():f}")
    return value


def _write_row(ws: Worksheet, sheet: spec.Sheet, values: dict[str, Any]) -> None:
    cells = [cell_value(column, values.get(column.key)) for column in sheet.columns]
    ws.append(cells)
    for index, value in enumerate(cells, start=1):
        # A text starting with "=" is text, never a formula.
        if isinstance(value, str) and value.startswith("="):
            ws.cell(row=ws._current_row, column=index).data_type = "s"


def _start_sheet(wb: Workbook, sheet: spec.Sheet) -> Worksheet:
    ws = wb.create_sheet(str(sheet.title))
    ws.append([str(column.header) for column in sheet.columns])
    for index, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(index)].width = column.width
        choices = None
        if column.kind == spec.CHOICE:
            choices = [str(label) for _value, label in column.choices]
        elif column.kind == spec.BOOL:
            choices = [str(spec.YES), str(spec.NO)]
        if choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle=_("ค่าไม่ถูกต้อง"),
                                        error=_("เลือกจากรายการ"))
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{VALIDATED_ROWS}")
            ws.add_data_validation(validation)
    ws.freeze_panes = "A2"
    return ws


def _instructions(wb: Workbook, sheets: Iterable[spec.Sheet]) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = _("คำอธิบาย")
    lines = [
        _("แบบฟอร์มนำเข้าตัวชี้วัด แผนยุทธศาสตร์ หน่วยงาน เจ้าหน้าที่ และโครงการ/กิจกรรม"),
        _("1. แถวแรกของแต่ละแผ่นงานเป็นหัวตาราง ห้ามแก้ชื่อหัวตาราง ลำดับคอลัมน์สลับได้"),
        _("2. แถวที่ขึ้นต้นด้วยคำว่า “%(mark)s” เป็นตัวอย่าง ระบบไม่นำเข้า") % {"mark": spec.EXAMPLE_MARK},
        _("3. อ้างถึงกันด้วยรหัส (รหัสหน่วยงาน รหัสแผนยุทธศาสตร์ รหัสกลุ่มเขต) ตัวเลขไทยและเครื่องหมายคั่นหลักพันใช้ได้"),
        _("วันที่พิมพ์เป็น วัน/เดือน/ปี พ.ศ. เช่น 18/12/2569 น้ำหนักของกิจกรรมในโครงการหนึ่งรวมกันต้องเท่ากับ 100"),
        _("4. ห้ามใช้สูตรและห้ามผสานเซลล์ ไฟล์ที่มีสูตรหรือเซลล์ผสานจะถูกปฏิเสธ"),
        _("5. ตรวจสอบก่อนเสมอ ระบบแสดงจำนวนที่จะสร้าง แก้ไข และไม่เปลี่ยนแปลง พร้อมข้อผิดพลาดรายแถว "
          "ถ้ามีข้อผิดพลาดแม้แถวเดียว ระบบจะไม่บันทึกข้อมูลใด ๆ"),
        _("6. การนำเข้าไม่ลบข้อมูล แถวที่ไม่มีในไฟล์จะคงไว้ตามเดิม ผลการดำเนินงานที่รายงานแล้วไม่ถูกแก้ไข"),
        _("7. ผู้ใช้ใหม่ได้รับลิงก์ตั้งรหัสผ่านทางอีเมล ระบบไม่เปลี่ยนรหัสผ่านของผู้ใช้เดิม"),
        "",
    ]
    for line in lines:
        ws.append([line])
    ws.append([_("แผ่นงาน"), _("คอลัมน์"), _("ต้องกรอก"), _("คำอธิบาย")])
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for sheet in sheets:
        for column in sheet.columns:
            described = str(column.help)
            if column.kind == spec.CHOICE:
                described = _("เลือก: %(c)s") % {"c": ", ".join(str(label) for _v, label in column.choices)}
            ws.append([str(sheet.title), str(column.header), str(spec.YES) if column.required else "", described])
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["D"].width = 60


def _indicator_rows(indicators: QuerySet[Indicator]) -> Iterable[dict[str, Any]]:
    # defer(None): the list's queryset leaves the long texts out; the workbook has them.
    indicators = indicators.defer(None).select_related("fiscal_year", "owner").order_by("fiscal_year__year", "code")
    ids = list(indicators.values_list("pk", flat=True))
    milestones: dict[int, dict[str, Any]] = defaultdict(dict)
    for indicator_id, quarter, target in QuarterResult.objects.filter(
            indicator_id__in=ids, target__isnull=False).values_list("indicator_id", "quarter", "target"):
        milestones[indicator_id][spec.milestone_key(quarter)] = target
    links: dict[int, list[str]] = defaultdict(list)
    for indicator_id, code in Indicator.strategy_nodes.through.objects.filter(indicator_id__in=ids).order_by(
            "strategynode__code").values_list("indicator_id", "strategynode__code"):
        links[indicator_id].append(code)
    plain = [c.key for c in spec.INDICATORS.columns if hasattr(Indicator, c.key)]
    for indicator in indicators.iterator(chunk_size=1000):
        values = {key: getattr(indicator, key) for key in plain}
        values.update(fiscal_year=indicator.fiscal_year.year, owner=indicator.owner.code,
                      strategy_nodes=links[indicator.pk], **milestones[indicator.pk])
        yield values


def _rows(sheet: spec.Sheet, indicators: QuerySet[Indicator]) -> Iterable[dict[str, Any]]:
    if sheet is spec.GROUPS:
        for group in DistrictGroup.objects.order_by("order", "code"):
            yield {"code": group.code, "name": group.name, "order": group.order}
    elif sheet is spec.AGENCIES:
        for agency in Agency.objects.select_related("district_group").order_by("code"):
            yield {"code": agency.code, "name": agency.name, "short_name": agency.short_name, "kind": agency.kind,
                   "district_group": agency.district_group.code if agency.district_group else None}
    elif sheet is spec.PLAN:
        for node in StrategyNode.objects.select_related("parent").order_by("level", "code"):
            yield {"code": node.code, "level": node.level, "title": node.title,
                   "parent": node.parent.code if node.parent else None}
    elif sheet is spec.INDICATORS:
        yield from _indicator_rows(indicators)


def _project_rows(projects: QuerySet[Project]) -> Iterable[dict[str, Any]]:
    """Each project in the sheet's terms: references by code; a fixed number
    of queries (the projects, their districts, their indicators)."""
    projects = projects.select_related("fiscal_year", "owner", "responsible_user", "continues_from") \
        .order_by("fiscal_year__year", "code")
    ids = list(projects.values_list("pk", flat=True))
    districts: dict[int, list[str]] = defaultdict(list)
    for project_id, code in Project.districts.through.objects.filter(project_id__in=ids).order_by(
            "agency__code").values_list("project_id", "agency__code"):
        districts[project_id].append(code)
    indicators: dict[int, list[str]] = defaultdict(list)
    for project_id, code in Project.indicators.through.objects.filter(project_id__in=ids).order_by(
            "indicator__code").values_list("project_id", "indicator__code"):
        indicators[project_id].append(code)
    plain = [c.key for c in spec.PROJECTS.columns
             if c.key not in ("fiscal_year", "owner", "responsible_user", "continues_from", "districts", "indicators")]
    for project in projects:
        values = {key: getattr(project, key) for key in plain}
        values.update(
            fiscal_year=project.fiscal_year.year, owner=project.owner.code,
            responsible_user=project.responsible_user.get_username() if project.responsible_user else None,
            continues_from=project.continues_from.code if project.continues_from else None,
            districts=districts[project.pk], indicators=indicators[project.pk])
        yield values


def _milestone_rows(projects: QuerySet[Project]) -> Iterable[dict[str, Any]]:
    milestones = Milestone.objects.filter(project__in=projects.order_by().values("pk")).order_by(
        "project__fiscal_year__year", "project__code", "order", "pk")
    for project_code, order, name, weight, start, finish in milestones.values_list(
            "project__code", "order", "name", "weight", "planned_start", "planned_finish"):
        yield {"project": project_code, "order": order, "name": name, "weight": weight,
               "planned_start": start, "planned_finish": finish}


def exported_projects(user: AnyUser, fiscal_year: Any) -> QuerySet[Project]:
    """What an export of a year carries of its projects: those of the year
    the user may see (none without a year chosen)."""
    if fiscal_year is None:
        return Project.objects.none()
    return visible_projects(user, Project.objects.filter(fiscal_year=fiscal_year))


# A print job's progress is told every this many indicators.
PROGRESS_ROWS = 500


@in_thai
def export_workbook(indicators: QuerySet[Indicator], on_rows: Callable[[int], None] | None = None,
                    projects: QuerySet[Project] | None = None) -> bytes:
    """These indicators with the whole plan, every agency and district group,
    and these projects with their activities (none when not given: the
    caller chooses what the user may see), in Thai (in_thai). on_rows(n) is
    told every PROGRESS_ROWS indicators written (a print job)."""
    wb = Workbook()
    _instructions(wb, spec.SHEETS)
    for sheet in spec.EXPORTED:
        ws = _start_sheet(wb, sheet)
        for row, values in enumerate(_rows(sheet, indicators), start=1):
            _write_row(ws, sheet, values)
            if on_rows and sheet is spec.INDICATORS and row % PROGRESS_ROWS == 0:
                on_rows(PROGRESS_ROWS)
    staff = _start_sheet(wb, spec.STAFF)
    _example_row(staff, spec.STAFF)
    chosen = Project.objects.none() if projects is None else projects
    for sheet, rows in ((spec.PROJECTS, _project_rows(chosen)), (spec.MILESTONES, _milestone_rows(chosen))):
        ws = _start_sheet(wb, sheet)
        for values in rows:
            _write_row(ws, sheet, values)
    return _bytes(wb)


def _example_row(ws: Worksheet, sheet: spec.Sheet) -> None:
    row = [cell_value(column, column.example) for column in sheet.columns]
    row[0] = f"{spec.EXAMPLE_MARK}: {row[0] if row[0] is not None else ''}"
    ws.append(row)
    for cell in ws[ws.max_row]:
        cell.font = EXAMPLE_FONT


@in_thai
def template_workbook() -> bytes:
    """Every sheet with its header, one example row and the drop-down lists (in Thai)."""
    wb = Workbook()
    _instructions(wb, spec.SHEETS)
    for sheet in spec.SHEETS:
        ws = _start_sheet(wb, sheet)
        _example_row(ws, sheet)
    return _bytes(wb)


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
