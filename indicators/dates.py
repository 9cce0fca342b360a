"""Dates as people type them in a form: day/month/year, the year in the
Buddhist Era on Thai pages (18/12/2569), Gregorian on English ones
(18/12/2026). The parse and format functions are pure; ThaiDateField and
ThaiDateInput put them in every form that asks for a date (the evaluator's
correction deadline, the rollover's windows, the admin's windows and
extensions), instead of the browser's date picker, which shows 12/18/2026."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .text import BUDDHIST_ERA_OFFSET, ENGLISH_MONTHS_SHORT, THAI_MONTHS_SHORT, to_arabic_digits

# A year this large is a Buddhist Era year (2400 BE = 1857 CE, long before any
# fiscal year of ours); a smaller one is Gregorian.
FIRST_BE_YEAR = 2400
# The date the hints and messages give as an example.
EXAMPLE_DAY = datetime.date(2026, 12, 18)

# Year first (2026-12-18): what a browser's date input and scripts send.
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SEPARATED = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d+)")
_MONTH_NAMED = re.compile(r"(\d{1,2})\s*([^\d\s]+(?:\s*[^\d\s]+)*?)\s*(\d+)")


def _month_key(name: str) -> str:
    return re.sub(r"[\s./\-]", "", name).lower()


# "ธ.ค.", "ธค", "Dec", "dec." all name December.
MONTH_NAMES = {
    **{_month_key(name): number for number, name in enumerate(THAI_MONTHS_SHORT, start=1)},
    **{_month_key(name): number for number, name in enumerate(ENGLISH_MONTHS_SHORT, start=1)},
}


def _in_thai(language: str | None) -> bool:
    return not (language or "th").startswith("en")


def format_date_input(day: datetime.date | None, language: str | None = None) -> str:
    """The text a date field shows: 18/12/2569 in Thai, 18/12/2026 in English."""
    if day is None:
        return ""
    language = language or get_language()
    year = day.year + BUDDHIST_ERA_OFFSET if _in_thai(language) else day.year
    return f"{day.day:02d}/{day.month:02d}/{year}"


def parse_date_input(text: str | None, language: str | None = None) -> datetime.date | None:
    """The date a person meant, or None for an empty field. Day first, then
    the month (a number or its short name, "ธ.ค." / "Dec"), then the year
    in four digits; Thai digits are read; 2026-12-18 (year first, as a
    browser's date input sends it) is read too. A year of 2400 or more is Buddhist
    Era; a smaller one is accepted as Gregorian on English pages only, since
    on a Thai page it is more likely a slip. Raises ValidationError with a
    Thai message naming what is wrong."""
    language = language or get_language()
    cleaned = to_arabic_digits(text or "").strip()
    if not cleaned:
        return None
    example = format_date_input(EXAMPLE_DAY, language)
    year_first = _YEAR_FIRST.fullmatch(cleaned)
    match = _SEPARATED.fullmatch(cleaned)
    if year_first:
        year, month, day = (int(part) for part in year_first.groups())
        if year < FIRST_BE_YEAR:
            year += BUDDHIST_ERA_OFFSET  # unambiguous: the Gregorian year it says
    elif match:
        day, month, year = (int(part) for part in match.groups())
    else:
        match = _MONTH_NAMED.fullmatch(cleaned)
        month_number = MONTH_NAMES.get(_month_key(match.group(2))) if match else None
        if match is None or month_number is None:
            raise ValidationError(
                _("อ่านวันที่ “%(text)s” ไม่ได้ กรุณาพิมพ์เป็น วัน/เดือน/ปี เช่น %(example)s"),
                code="invalid", params={"text": text, "example": example},
            )
        day, month, year = int(match.group(1)), month_number, int(match.group(3))
    if len(str(year)) != 4:
        raise ValidationError(
            _("กรุณาพิมพ์ปีเป็นตัวเลข 4 หลัก เช่น %(example)s"), code="year_digits", params={"example": example}
        )
    if year >= FIRST_BE_YEAR:
        year -= BUDDHIST_ERA_OFFSET
    elif _in_thai(language):
        raise ValidationError(
            _("ปี %(year)s เป็นปี ค.ศ. กรุณาพิมพ์ปีเป็น พ.ศ. (%(be)s) เช่น %(example)s"),
            code="gregorian_year", params={"year": year, "be": year + BUDDHIST_ERA_OFFSET, "example": example},
        )
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("ไม่มีวันที่ %(text)s ในปฏิทิน กรุณาตรวจวันและเดือนอีกครั้ง"), code="no_such_date",
            params={"text": text},
        ) from None


def _format_hint() -> str:
    return _("วัน/เดือน/ปี พ.ศ. เช่น %(example)s") % {"example": format_date_input(EXAMPLE_DAY)}


# How to type a date, in the language of the page it is drawn on.
format_hint = lazy(_format_hint, str)


class ThaiDateInput(forms.TextInput):
    """A text box that shows its date as format_date_input does."""

    def __init__(self, attrs: dict | None = None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", "size": "12", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Placeholders are translated when the page is drawn, in its language.
        context["widget"]["attrs"].setdefault("placeholder", _("วว/ดด/ปปปป"))
        return context

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_date_input(value)
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """A date typed as day/month/BE year (see parse_date_input)."""

    widget = ThaiDateInput

    def __init__(self, **kwargs):
        kwargs.pop("input_formats", None)
        kwargs.pop("widget", None)  # the admin passes its own date widget: ours replaces it
        # A model field passes its own help text, empty when it has none.
        kwargs["help_text"] = kwargs.get("help_text") or format_hint()
        super().__init__(widget=ThaiDateInput, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        return parse_date_input(str(value))

    def has_changed(self, initial, data):
        try:
            data = self.to_python(data)
        except ValidationError:
            return True
        return initial != data
