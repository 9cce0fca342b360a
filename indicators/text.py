"""Display helpers for Thai text: digits, dates, narratives, and the one
way a number is written (format_number) that formats.py's rules use.
Pure functions; the template filters in templatetags/kpi.py wrap them."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import escape

THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)


def to_thai_digits(text):
    return str(text).translate(THAI_DIGITS)


def to_arabic_digits(text):
    return str(text).translate(ARABIC_DIGITS)


def format_number(value, places=0):
    """A quantity with a fixed number of decimals and thousands separators."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-int(places))
    rounded = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{rounded:,.{int(places)}f}"


ENGLISH_MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
BUDDHIST_ERA_OFFSET = 543


def thai_date(day, language="th"):
    """29 ม.ค. 2563: day, short Thai month, Buddhist Era year; in English
    29 Jan 2020, the Gregorian year."""
    if day is None:
        return ""
    if language == "en":
        return f"{day.day} {ENGLISH_MONTHS_SHORT[day.month - 1]} {day.year}"
    return f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} {day.year + BUDDHIST_ERA_OFFSET}"


def fiscal_year_label(year, language="th"):
    """A fiscal year (stored as its Buddhist Era number) as a page names it:
    2569 in Thai; in English the Gregorian year it ends in with the BE year
    in brackets, 2026 (BE 2569)."""
    if year in (None, ""):
        return ""
    if language == "en":
        return f"{int(year) - BUDDHIST_ERA_OFFSET} (BE {year})"
    return str(year)


# Inline list markers in narratives typed as one paragraph: "1. ", "2.1 ",
# "1) ", "๑. " and " - " bullets. Conservative on purpose: times (09.30),
# dates (ม.ค. 2563) and "(11 สค. 63)" must not start a new line.
_DIGIT = "[0-9๐-๙]"
_NZ = "[1-9๑-๙]"
LIST_MARKER = re.compile(
    rf"(?<=\S)\s+(?=(?:{_DIGIT}{{1,2}}\.\s|{_NZ}\.{_NZ}(?:\.{_NZ})?\s|{_NZ}\)\s|-\s))"
)


def narrative_html(text):
    """Escaped narrative with its own line breaks kept and inline numbered
    items put on lines of their own so long reports stay readable."""
    lines = escape(text).splitlines()
    html_lines = [LIST_MARKER.sub("<br>", line) for line in lines]
    return "<br>".join(html_lines)
