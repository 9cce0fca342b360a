"""The one way the app writes a CSV file (staff exports, their print jobs,
the ranking, the reporting progress, the public open data): UTF-8 with a
byte-order mark so Excel reads the Thai, Excel's quoting, and no text a
spreadsheet would run as a formula.

The rule: a text cell starting with =, +, -, @, a tab or a carriage return
gets a leading apostrophe (Excel and LibreOffice then show it as text, the
apostrophe hidden). A number cell is a number, never a formula: -5 is
written as -5, so a negative figure stays a figure. What is a number is
decided by the value's type (int, Decimal, float, or a figure already
formatted, `figure`), never by what a text looks like: an indicator named
"-5" is text and gets its apostrophe."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class Figure(str):
    """A number already formatted (fixed decimals, no thousands separator):
    written as it is."""

    __slots__ = ()


def figure(text: str) -> Figure:
    """Marks a formatted number as a number cell; refuses anything that is
    not plainly one (digits, one point, an optional minus), so a text can
    never pass as a number."""
    if not _PLAIN_NUMBER.fullmatch(text):
        raise ValueError(f"not a plain number: {text!r}")
    return Figure(text)


def safe_text(text: str) -> str:
    """The text as a spreadsheet must show it: never run as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(value: Any) -> str:
    """One cell's text: empty for None, a number as it is, any other value
    (also a lazy translation) as neutralised text."""
    if value is None:
        return ""
    if isinstance(value, Figure):
        return str(value)
    if isinstance(value, Decimal) and value.is_finite():
        return format(value, "f")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return safe_text(str(value))


def csv_bytes(headers: Iterable[Any], rows: Iterable[Iterable[Any]], *,
              on_row: Callable[[int], None] | None = None) -> bytes:
    """The file: the header row, then every row, each cell by `cell`;
    on_row(n) is called with each row's number as it is written."""
    text = io.StringIO()
    text.write(BOM)
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow([cell(value) for value in headers])
    for number, row in enumerate(rows, start=1):
        if on_row is not None:
            on_row(number)
        writer.writerow([cell(value) for value in row])
    return text.getvalue().encode("utf-8")
