"""Checking an indicator's scoring criteria (เกณฑ์การให้คะแนน 5 ระดับ): one
plain function for the model (admin) and any other way criteria come in,
such as an import, so every route refuses the same things with the same
Thai messages. The rule itself is rules.criteria_problems."""

from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from . import rules

FIELD_NAMES = tuple(f"criteria_level_{level}" for level in range(1, rules.LEVELS + 1))


def validate_criteria(thresholds: Sequence[Decimal | int | str | None], direction: str) -> None:
    """Raise ValidationError (keyed by the criteria fields) when the five
    thresholds are not all given or do not run the direction's way:
    ascending when more is better, descending when less is better."""
    problems = rules.criteria_problems(thresholds, direction)
    if not problems:
        return
    problem = problems[0]
    if problem == "incomplete":
        # Fewer thresholds than levels is incomplete too: the missing ones are named below.
        missing = [name for name, value in zip(FIELD_NAMES, thresholds, strict=False) if value is None or value == ""]
        message = _("กรอกเกณฑ์ให้ครบทั้ง 5 ระดับ หรือเว้นว่างทั้งหมดหากตัวชี้วัดนี้ไม่ใช้เกณฑ์ 5 ระดับ")
        raise ValidationError({name: message for name in missing or FIELD_NAMES}, code=problem)
    if problem == "not_ascending":
        message = _("ตัวชี้วัดที่ยิ่งมากยิ่งดี เกณฑ์ระดับ 1 ถึง 5 ต้องเรียงจากน้อยไปมาก (เท่ากันได้)")
    else:
        message = _("ตัวชี้วัดที่ยิ่งน้อยยิ่งดี เกณฑ์ระดับ 1 ถึง 5 ต้องเรียงจากมากไปน้อย (เท่ากันได้)")
    raise ValidationError({FIELD_NAMES[-1]: message}, code=problem)
