"""Indicator codes: which codes may be written, and how a code travels in a
URL. The pattern is defined here once; the model field, every form built on
it (admin included) and the URL converter use it."""

from urllib.parse import unquote

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Letters (Latin or Thai), digits, ".", "-" and "_", starting with a letter or
# digit: "2100-1037", "5.2-01". Never "/", which would split the URL.
CODE_PATTERN = r"[0-9A-Za-z\u0E00-\u0E7F][0-9A-Za-z\u0E00-\u0E7F._-]*"

validate_indicator_code = RegexValidator(
    regex=rf"\A{CODE_PATTERN}\Z",
    message=_(
        "รหัสตัวชี้วัดใช้ได้เฉพาะตัวอักษร ตัวเลข จุด (.) ขีด (-) และขีดล่าง (_) "
        "และต้องขึ้นต้นด้วยตัวอักษรหรือตัวเลข ห้ามมีเครื่องหมาย / หรือช่องว่าง"
    ),
    code="invalid_indicator_code",
)


class IndicatorCodeConverter:
    """`<code:code>` in URLs: one path segment. New codes always match
    CODE_PATTERN, but a row written before the check existed (or by bulk SQL)
    may hold "/" or "%". Those are escaped rather than left to make reverse()
    fail, since one such row would otherwise take down every list showing it."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return str(value).replace("%", "%25").replace("/", "%2F")
