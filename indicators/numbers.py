"""Reading numbers as people type them: Thai digits (๐-๙), thousands
separators ("1,234.5"), a leading sign. Pure functions; forms wrap them."""

import re
from decimal import Decimal, InvalidOperation

from .text import to_arabic_digits

# Commas must group thousands properly ("1,234", not "1,5"): a stray comma is
# more likely a typo, or a decimal comma, than a separator, and guessing
# would store a wrong number.
_PLAIN = re.compile(r"[+-]?(?:\d+(?:\.\d+)?|\.\d+)", re.ASCII)
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII)
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})


class NotANumber(ValueError):
    pass


def parse_decimal(text):
    """The Decimal a person meant by text, or None for an empty field.
    Raises NotANumber when the text is not a number."""
    if text is None:
        return None
    cleaned = to_arabic_digits(str(text)).translate(_MINUS_SIGNS).strip()
    # A space (also a no-break or thin one) between digits groups thousands
    # like a comma ("1 234"); after a sign it is dropped ("- 5").
    cleaned = re.sub(r"(?<=\d)[\s\u00a0\u2009\u202f](?=\d)", ",", cleaned)
    cleaned = re.sub(r"^([+-])\s+", r"\1", cleaned)
    if cleaned == "":
        return None
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif not _PLAIN.fullmatch(cleaned):
        raise NotANumber(text)
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above exclude it
        raise NotANumber(text) from exc


def decimal_places_of(value):
    """How many decimals a Decimal was written with, ignoring trailing zeros:
    12.50 has 1, 12 has 0."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
