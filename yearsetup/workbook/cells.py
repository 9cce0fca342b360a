"""The cells an uploaded sheet really holds, read as a stream: only the
cells its XML has, never the empty ones between them, and the sheet's real
extent (the farthest cell holding a value), whatever its <dimension> says.

openpyxl's normal mode keeps every cell in memory, and iterating a sheet
walks its whole rectangle: one space typed in XFD1048576 is 17 billion
cells (a MemoryError after 90 s). Its read-only mode streams, but pads each
row to the widest row and leaves out the merged cells. So this reads the
sheet with openpyxl's own sheet parser, as its read-only mode does, and
keeps the rows sparse."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

from .files import WorkbookRefused


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    value: Any
    # openpyxl's: "f" a formula, "s" text, "n" a number, "d" a date, "b" a boolean, "e" an error.
    data_type: str

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


def has_value(cell: Cell) -> bool:
    """Holds something typed: a cell with only a format does not, one
    holding a space does (someone typed it)."""
    return cell.value is not None and cell.value != ""


class SheetCells:
    """One pass over a read-only sheet: `rows()` yields each row the XML
    has, by number, with its cells by column number; `merged` (the merged
    ranges, as "A1:B2") and the extent are known once it is exhausted."""

    def __init__(self, ws: ReadOnlyWorksheet):
        self.ws = ws
        self.merged: list[str] = []
        self.last_row = 0
        self.last_column = 0

    def rows(self) -> Iterator[tuple[int, dict[int, Cell]]]:
        ws = self.ws
        workbook = ws.parent
        with ws._get_source() as source:
            parser = WorkSheetParser(source, ws._shared_strings, data_only=False, epoch=workbook.epoch,
                                     date_formats=workbook._date_formats,
                                     timedelta_formats=workbook._timedelta_formats)
            parsed_rows = parser.parse()
            while True:
                try:
                    number, parsed = next(parsed_rows)
                except StopIteration:
                    break
                except Exception as exc:  # the XML is broken: openpyxl raises many kinds
                    raise WorkbookRefused(_("เปิดไฟล์ Excel ไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์ XLSX")) from exc
                cells = {}
                for found in parsed:
                    cell = Cell(found["row"], found["column"], found["value"], found["data_type"])
                    cells[cell.column] = cell
                    if has_value(cell):
                        self.last_row = max(self.last_row, cell.row)
                        self.last_column = max(self.last_column, cell.column)
                yield number, cells
            if parser.merged_cells is not None:
                self.merged = [str(merged.ref) for merged in parser.merged_cells.mergeCell]
