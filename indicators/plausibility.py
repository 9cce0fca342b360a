"""Plausibility checks on a reported result: soft warnings, not refusals.

The old site let plain typos through (a 100 % target with quarterly results
of 170.83 and 1,407.52). Each check here names a result that is possible but
more likely a slip; the reporter sees the warning next to the field and must
confirm ("ยืนยันว่าถูกต้อง") to save it; the quarter keeps the warnings and
the confirmation (QuarterResult.plausibility_flags / _confirmed, with their
history) for the evaluator's review page."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from . import formats, rules

TOO_HIGH = "too_high"
DECREASE = "decrease"
PERCENT_RANGE = "percent_range"
UNCHANGED = "unchanged_after_target_change"

# Units that mean "per hundred": a result outside 0-100 is then suspicious.
PERCENT_UNITS = frozenset({"%", "ร้อยละ", "เปอร์เซ็นต์", "percent"})


@dataclass(frozen=True)
class Flag:
    code: str
    message: str

    def as_stored(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


def is_percent_unit(unit: str) -> bool:
    return unit.strip().lower() in PERCENT_UNITS


def target_multiple() -> Decimal:
    """N of "more than N times the target" (settings.PLAUSIBLE_TARGET_MULTIPLE)."""
    return Decimal(str(settings.PLAUSIBLE_TARGET_MULTIPLE))


def check(*, value: Decimal | None, target: Decimal | None, unit: str, aggregation: str, places: int = 0,
          previous_value: Decimal | None = None, previous_target: Decimal | None = None,
          multiple: Decimal | None = None) -> list[Flag]:
    """The warnings a result raises. `target` is the one that applies to this
    quarter (its milestone or the annual target); `previous_*` are those of
    the latest earlier quarter with a result (None if there is none)."""
    if value is None:
        return []
    multiple = target_multiple() if multiple is None else multiple

    def fmt(number: Decimal | None) -> str:
        return formats.quantity(number, places)

    def fmt_target(number: Decimal | None) -> str:
        return formats.target(number, places)

    flags = []
    if target is not None and target > 0 and value > target * multiple:
        flags.append(Flag(TOO_HIGH, _("ผลงาน (%(value)s) มากกว่า %(n)s เท่าของค่าเป้าหมาย (%(target)s)") % {
            "value": fmt(value), "n": formats.target(multiple), "target": fmt_target(target)}))
    if aggregation == rules.CUMULATIVE and previous_value is not None and value < previous_value:
        flags.append(Flag(DECREASE, _("ผลสะสมที่กรอก (%(value)s) น้อยกว่าผลของไตรมาสก่อน (%(previous)s)") % {
            "value": fmt(value), "previous": fmt(previous_value)}))
    if is_percent_unit(unit) and (value > rules.HUNDRED or value < rules.ZERO):
        flags.append(Flag(PERCENT_RANGE, _("หน่วยนับเป็นร้อยละ แต่ผลงาน (%(value)s) อยู่นอกช่วง 0 ถึง 100") % {
            "value": fmt(value)}))
    if (previous_value is not None and value == previous_value and previous_target is not None
            and target is not None and previous_target != target):
        flags.append(Flag(UNCHANGED, _(
            "ผลงานเท่ากับไตรมาสก่อน (%(value)s) ทั้งที่ค่าเป้าหมายเปลี่ยนจาก %(old)s เป็น %(new)s") % {
            "value": fmt(value), "old": fmt_target(previous_target), "new": fmt_target(target)}))
    return flags
