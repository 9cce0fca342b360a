"""CSV and XLSX exports of the indicator list and of the quarterly table.

CSV is UTF-8 with a byte-order mark so Excel reads Thai correctly. XLSX
(openpyxl, write-only for speed) keeps numbers as numbers with the
indicator's decimals, Thai headers, a frozen header row and column widths
sized to the content. Text that a spreadsheet would run as a formula is
neutralised in both."""

import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from indicators import formats
from indicators.models import QUARTERS
from indicators.text import format_number

from . import csv_files

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_WIDTH = 60
MIN_WIDTH = 6
# A print job's progress is written every this many rows.
PROGRESS_ROWS = 500


class Number:
    """A number cell: the value and its decimal places."""

    __slots__ = ("value", "places")

    def __init__(self, value, places=0):
        self.value = None if value is None else Decimal(value)
        self.places = places


def target_number(value, places):
    """A target's cell: with its own decimals if it has more than the
    indicator's (formats.target), so 0.5 is not written as 1."""
    return Number(value, formats.places_of_target(value, places))


def _text(value):
    return "" if value is None else str(value)


# --- the columns ----------------------------------------------------------

def list_table(rows, quarter):
    headers = [
        _("รหัสตัวชี้วัด"), _("ชื่อตัวชี้วัด"), _("หน่วยงาน"), _("กลุ่มเขต"), _("ประเภทตัวชี้วัด"),
        _("หน่วยนับ"), _("ค่าเป้าหมาย"), _("ผลงานที่ทำได้"), _("สถานะ ณ ไตรมาสที่ %(q)s") % {"q": quarter},
    ]
    body = []
    for row in rows:
        ind = row.indicator
        body.append([
            ind.code, ind.name, ind.owner.name, _text(ind.owner.district_group), ind.category, ind.unit,
            target_number(ind.annual_target, ind.decimal_places), Number(row.achieved, ind.decimal_places),
            str(row.status_label),
        ])
    return headers, body


def quarterly_export(queryset, group_by):
    """Headers and rows of the whole quarterly table of these indicators."""
    from . import tables

    groups = tables.whole_table(queryset, group_by)
    return quarterly_table(groups, str(dict(tables.GROUPINGS)[group_by]))


def quarterly_table(groups, grouping_label):
    """Per quarter its target, its own result, the value to date its
    achievement is computed from (the running sum or average, else the
    result itself: the aggregation column says which), the achievement and
    the scores."""
    headers = [_("กลุ่ม (%(by)s)") % {"by": grouping_label}, _("รหัสตัวชี้วัด"), _("ชื่อตัวชี้วัด"), _("หน่วยงาน"),
               _("หน่วยนับ"), _("วิธีรวมผลรายไตรมาส")]
    for q in QUARTERS:
        headers += [
            _("ไตรมาส %(q)s เป้าหมาย") % {"q": q}, _("ไตรมาส %(q)s ผลงาน") % {"q": q},
            _("ไตรมาส %(q)s ผลงานถึงไตรมาสนี้ที่ใช้ประเมิน") % {"q": q},
            _("ไตรมาส %(q)s ร้อยละความสำเร็จ") % {"q": q}, _("ไตรมาส %(q)s คะแนน 2.1") % {"q": q},
            _("ไตรมาส %(q)s คะแนน 2.2") % {"q": q},
        ]
    headers += [_("ผลงานที่ทำได้"), _("สถานะทั้งปี")]
    body = []
    for group in groups:
        for row in group.rows:
            ind = row.indicator
            line = [group.title, ind.code, ind.name, ind.owner.name, ind.unit, ind.get_aggregation_display()]
            for cell in row.quarters:
                line += [
                    target_number(cell.target, ind.decimal_places), Number(cell.value, ind.decimal_places),
                    Number(cell.value_to_date, ind.decimal_places), Number(cell.achievement, formats.SCORE_PLACES),
                    Number(cell.score_self, formats.SCORE_PLACES), Number(cell.score_confirmed, formats.SCORE_PLACES),
                ]
            line += [Number(row.achieved, ind.decimal_places), str(row.status_label)]
            body.append(line)
    return headers, body


# --- the formats ----------------------------------------------------------

def _csv_cell(value):
    if isinstance(value, Number):
        # Plain digits (no thousands separator) so spreadsheets read a number.
        if value.value is None:
            return None
        return csv_files.figure(format_number(value.value, value.places).replace(",", ""))
    return _text(value)


def csv_bytes(headers, body, on_rows=None):
    """The CSV file (reports/csv_files: one rule for every CSV the app
    writes). The download and the print job both write it here, so their
    files are the same bytes."""
    def progress(row):
        if on_rows and row % PROGRESS_ROWS == 0:
            on_rows(PROGRESS_ROWS)

    return csv_files.csv_bytes(headers, ([_csv_cell(value) for value in line] for line in body), on_row=progress)


def csv_response(headers, body, filename):
    return download(csv_bytes(headers, body), f"{filename}.csv")


def _width(value):
    if isinstance(value, Number):
        return 14
    # Thai combining vowels and tone marks take no width of their own.
    text = _text(value)
    return sum(1 for ch in text if not ("\u0e31" <= ch <= "\u0e3a" or "\u0e47" <= ch <= "\u0e4e")) + 2


def _number_format(places):
    return "#,##0" if not places else "#,##0." + "0" * places


def xlsx_response(headers, body, filename, sheet_title):
    return download(xlsx_bytes(headers, body, sheet_title), f"{filename}.xlsx")


def download(content, filename):
    """A file made at once, as an attachment (its type from its suffix)."""
    response = HttpResponse(content, content_type=CSV_TYPE if filename.endswith(".csv") else XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(headers, body, sheet_title, on_rows=None):
    """The workbook; on_rows(n) is told every PROGRESS_ROWS rows written."""
    body = list(body)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    widths = [_width(h) for h in headers]
    for line in body:
        for i, value in enumerate(line):
            widths[i] = max(widths[i], _width(value))
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = max(MIN_WIDTH, min(MAX_WIDTH, width))
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE6F5")
    wrap = Alignment(wrap_text=True, vertical="top")
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header_cells.append(cell)
    sheet.append(header_cells)

    formats = {}
    for row, line in enumerate(body, start=1):
        if on_rows and row % PROGRESS_ROWS == 0:
            on_rows(PROGRESS_ROWS)
        cells = []
        for value in line:
            if isinstance(value, Number):
                # A float, as Excel stores it: openpyxl writes floats twice as fast.
                cell = WriteOnlyCell(sheet, value=None if value.value is None else float(value.value))
                if value.places not in formats:
                    formats[value.places] = _number_format(value.places)
                cell.number_format = formats[value.places]
            else:
                cell = _text(value)
                if cell.startswith("="):
                    cell = WriteOnlyCell(sheet, value=cell)
                    cell.data_type = "s"  # text, never a formula
            cells.append(cell)
        sheet.append(cells)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def respond(fmt, headers, body, filename, sheet_title):
    if fmt == "xlsx":
        return xlsx_response(headers, body, filename, sheet_title)
    return csv_response(headers, body, filename)
