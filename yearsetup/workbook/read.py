"""The cells of an uploaded workbook into typed rows. Every bad cell is a
Problem naming its sheet, row and column with a Thai message; nothing is
evaluated (a formula cell is refused, never computed) and merged cells are
refused, since which row they belong to is a guess."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import (
    DecimalValidator,
    EmailValidator,
    MaxValueValidator,
    MinValueValidator,
    validate_slug,
)
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from indicators.data_sources import format_data_sources, split_data_sources
from indicators.dates import parse_date_input
from indicators.numbers import NotANumber, decimal_places_of, parse_decimal
from indicators.text import to_arabic_digits

from . import columns as spec
from .cells import Cell, SheetCells, has_value
from .files import WorkbookRefused, check_bytes

# Larger than any target the model stores (20 digits, 4 of them decimals).
MAX_NUMBER = Decimal(10) ** 16
# A sheet is read only within these bounds (the header row included): a
# year of a city is a few thousand rows of some thirty columns. Beyond them
# the sheet is refused at once, naming its extent (cells.SheetCells).
MAX_ROWS = 100_000
MAX_COLUMNS = 200
_SPLIT = re.compile(r"[,;\n\r]+")
TRUE_WORDS = {"ใช่", "true", "yes", "y", "1", "จริง"}
FALSE_WORDS = {"ไม่ใช่", "false", "no", "n", "0", "ไม่"}


@dataclass(frozen=True)
class Problem:
    """One refusal: where (sheet, row, column; row or column may be empty
    for a whole sheet) and why, in Thai."""

    sheet: str
    row: int | None
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Row:
    number: int
    values: dict[str, Any]
    # Column letters by key, to name the cell of a later problem.
    letters: dict[str, str]


@dataclass
class Workbook:
    rows: dict[str, list[Row]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def present(self, sheet: spec.Sheet) -> bool:
        return sheet.key in self.rows


def column_name(letter: str, column: spec.Column) -> str:
    return f"{letter} ({column.header})"


class CellError(ValueError):
    pass


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(spec.YES if value else spec.NO)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).strip()


def _number(value: Any, column: spec.Column) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("“%(v)s” ไม่ใช่ตัวเลข") % {"v": _text(value)})
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        try:
            parsed = parse_decimal(value)
        except NotANumber:
            raise CellError(_("“%(v)s” ไม่ใช่ตัวเลข") % {"v": _text(value)}) from None
        assert parsed is not None
        number = parsed
    if abs(number) >= MAX_NUMBER:
        raise CellError(_("ตัวเลขใหญ่เกินไป"))
    if column.max_places is not None and decimal_places_of(number) > column.max_places:
        raise CellError(_("มีทศนิยมได้ไม่เกิน %(n)s ตำแหน่ง") % {"n": column.max_places})
    return number


def _choice(value: Any, column: spec.Column) -> Any:
    wanted = _text(value).casefold()
    for stored, label in column.choices:
        if wanted in (str(label).casefold(), str(stored).casefold()):
            return stored
    allowed = ", ".join(str(label) for _stored, label in column.choices)
    raise CellError(_("“%(v)s” ไม่ใช่ค่าที่เลือกได้ (เลือกได้: %(allowed)s)") % {"v": _text(value), "allowed": allowed})


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = _text(value).casefold()
    if word in TRUE_WORDS or word == str(spec.YES).casefold():
        return True
    if word in FALSE_WORDS or word == str(spec.NO).casefold():
        return False
    raise CellError(_("กรอก “%(yes)s” หรือ “%(no)s”") % {"yes": spec.YES, "no": spec.NO})


def _thai_message(validator: Any, error: ValidationError) -> str:
    """Django's own validators speak English where its Thai catalogue has
    no entry; the ones model fields here use say it in Thai."""
    if isinstance(validator, MaxValueValidator):
        return _("ต้องไม่เกิน %(limit)s") % {"limit": validator.limit_value}
    if isinstance(validator, MinValueValidator):
        return _("ต้องไม่น้อยกว่า %(limit)s") % {"limit": validator.limit_value}
    if isinstance(validator, DecimalValidator):
        return _("ตัวเลขมีได้ไม่เกิน %(n)s หลักก่อนจุดทศนิยม") % {
            "n": (validator.max_digits or 0) - (validator.decimal_places or 0)}
    if isinstance(validator, EmailValidator):
        return _("อีเมลไม่ถูกต้อง")
    if isinstance(validator, UnicodeUsernameValidator):
        return _("ชื่อผู้ใช้ใช้ได้เฉพาะตัวอักษร ตัวเลข และเครื่องหมาย @ . + - _")
    if validator is validate_slug:
        return _("ใช้ได้เฉพาะตัวอักษรอังกฤษ ตัวเลข - และ _")
    return " ".join(str(m) for m in error.messages)


def _validated(value: Any, column: spec.Column) -> Any:
    for validator in column.validators:
        try:
            validator(value)
        except ValidationError as exc:
            raise CellError(_thai_message(validator, exc)) from None
    return value


def _checked_text(text: str, column: spec.Column) -> str:
    if column.max_length is not None and len(text) > column.max_length:
        raise CellError(_("ยาวเกิน %(max)s ตัวอักษร (มี %(n)s ตัวอักษร)") % {"max": column.max_length, "n": len(text)})
    return str(_validated(text, column))


def _date(value: Any) -> datetime.date:
    """A date cell as Excel stores one, or typed as in the forms (day/month/BE year)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        day = parse_date_input(_text(value), "th")
    except ValidationError as exc:
        raise CellError(" ".join(exc.messages)) from None
    assert day is not None
    return day


def parse_cell(value: Any, column: spec.Column) -> Any:
    """The typed value of one non-empty cell; CellError when it is not one."""
    if column.kind == spec.DATE:
        return _validated(_date(value), column)
    if column.kind == spec.NUMBER:
        return _validated(_number(value, column), column)
    if column.kind == spec.INTEGER:
        number = _number(value, column)
        if number != number.to_integral_value():
            raise CellError(_("ต้องเป็นจำนวนเต็ม"))
        return _validated(int(number), column)
    if column.kind == spec.CHOICE:
        return _choice(value, column)
    if column.kind == spec.BOOL:
        return _bool(value)
    if column.kind == spec.CODES:
        codes = [to_arabic_digits(part).strip() for part in _SPLIT.split(_text(value))]
        return list(dict.fromkeys(_checked_text(code, column) for code in codes if code))
    text = _text(value)
    if column.kind == spec.LINES:
        # As the checklist will hold it, so an unchanged list is no change.
        text = format_data_sources(split_data_sources(text))
    if column.kind == spec.CODE:
        text = to_arabic_digits(text)
    return _checked_text(text, column)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _too_big(title: str, cells: SheetCells, far: Cell) -> Problem:
    extent = f"A1:{get_column_letter(cells.last_column)}{cells.last_row}"
    return Problem(title, far.row, far.coordinate, _(
        "แผ่นงาน “%(sheet)s” มีข้อมูลถึง %(extent)s (%(rows)s แถว × %(columns)s คอลัมน์) ใหญ่เกินที่ระบบอ่านได้ "
        "(ไม่เกิน %(max_rows)s แถว × %(max_columns)s คอลัมน์) จึงไม่ได้อ่านแผ่นงานนี้ "
        "กรุณาลบข้อมูลที่อยู่นอกตาราง เช่น เซลล์ %(cell)s (แม้มีเพียงช่องว่าง) แล้วอัปโหลดใหม่") % {
        "sheet": title, "extent": extent, "rows": f"{cells.last_row:,}", "columns": f"{cells.last_column:,}",
        "max_rows": f"{MAX_ROWS:,}", "max_columns": f"{MAX_COLUMNS:,}", "cell": far.coordinate})


def _read_sheet(ws: ReadOnlyWorksheet, sheet: spec.Sheet, book: Workbook) -> None:
    """The sheet's rows into book.rows; a sheet holding values beyond
    MAX_ROWS or MAX_COLUMNS is refused whole (one problem naming its extent)
    and left out, so nothing of it is planned."""
    title = str(sheet.title)
    first_problem = len(book.problems)
    cells = SheetCells(ws)
    rows = cells.rows()
    by_header = {str(spec_column.header).strip(): spec_column for spec_column in sheet.columns}
    positions: dict[str, int] = {}
    letters: dict[str, str] = {}
    parsed: list[Row] = []
    example = str(spec.EXAMPLE_MARK)
    far: Cell | None = None
    for number, row in rows:
        if far is None:
            far = next((cell for cell in row.values() if has_value(cell)
                        and (cell.row > MAX_ROWS or cell.column > MAX_COLUMNS)), None)
        if far is not None:
            continue  # read on to the end only to learn the sheet's extent
        if number == 1:
            for column_number, cell in row.items():
                if not _is_blank(cell.value) and _text(cell.value) in by_header:
                    positions[by_header[_text(cell.value)].key] = column_number
            letters = {key: get_column_letter(index) for key, index in positions.items()}
            continue
        if all(_is_blank(cell.value) for cell in row.values()):
            continue
        first = row.get(1)
        if first is not None and isinstance(first.value, str) and first.value.strip().startswith(example):
            continue
        for cell in row.values():
            if cell.data_type == "f":
                book.problems.append(Problem(title, number, cell.coordinate,
                                             _("เซลล์ %(cell)s เป็นสูตร ระบบไม่คำนวณสูตร กรุณาวางเป็นค่า (Paste Values)")
                                             % {"cell": cell.coordinate}))
        values: dict[str, Any] = {}
        for key, index in positions.items():
            column = sheet.by_key[key]
            found = row.get(index)
            raw = None if found is None else found.value
            if found is not None and found.data_type == "f":
                continue  # refused above
            if _is_blank(raw):
                if column.required:
                    book.problems.append(Problem(title, number, column_name(letters[key], column), _("ต้องกรอก")))
                values[key] = [] if column.kind == spec.CODES else None
                continue
            try:
                values[key] = parse_cell(raw, column)
            except CellError as error:
                book.problems.append(Problem(title, number, column_name(letters[key], column), str(error)))
        parsed.append(Row(number, values, letters))
    if far is not None:
        del book.problems[first_problem:]
        book.problems.append(_too_big(title, cells, far))
        return
    missing = [Problem(title, 1, str(spec_column.header),
                       _("ไม่พบคอลัมน์ “%(h)s” ในแถวหัวตาราง") % {"h": spec_column.header})
               for spec_column in sheet.columns if spec_column.required and spec_column.key not in positions]
    merged = [Problem(title, _first_row(ref), ref, _("มีการผสานเซลล์ (merge) กรุณายกเลิกการผสานเซลล์"))
              for ref in cells.merged]
    book.problems[first_problem:first_problem] = merged + missing
    book.rows[sheet.key] = parsed


def _first_row(ref: str) -> int:
    return range_boundaries(ref)[1] or 1


def read(content: bytes, sheets: tuple[spec.Sheet, ...] = spec.SHEETS,
         on_progress: Callable[[int], None] | None = None) -> Workbook:
    """The workbook's rows by sheet. Raises WorkbookRefused for a file that
    is not a workbook at all; everything else is a Problem."""
    check_bytes(content)
    try:
        # keep_links=False: external links are never followed or kept.
        # Read-only: the sheets are streamed (cells.SheetCells), never held whole.
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=False, keep_links=False, keep_vba=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise WorkbookRefused(_("เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ XLSX")) from exc
    book = Workbook()
    titles = {str(sheet.title): sheet for sheet in sheets}
    for ws in wb.worksheets:
        sheet = titles.get(ws.title.strip())
        if sheet is not None:
            _read_sheet(ws, sheet, book)
            if on_progress is not None:
                on_progress(len(book.rows.get(sheet.key, [])))
    if not book.rows and not book.problems:
        names = ", ".join(f"“{sheet.title}”" for sheet in sheets)
        book.problems.append(Problem("", None, "", _("ไม่พบแผ่นงานที่นำเข้าได้ในไฟล์ (ชื่อแผ่นงานต้องเป็น %(names)s)")
                                     % {"names": names}))
    wb.close()
    return book
