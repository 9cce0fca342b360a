"""The evaluator's writes on a submitted quarter: accept (quarters 1-3), score
quarter 4, return for correction, reopen an accepted quarter.

Each service takes keyword arguments, checks who acts and what state the
quarter is in, validates its input with Thai messages, and saves atomically
only if the quarter is still at the version the evaluator saw. Every save
records who acted and why in the quarter's history (simple_history)."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from conversations import services as conversations
from indicators import formats, permissions, rules, signals, workflow
from indicators.models import FINAL_QUARTER, QuarterResult

# A returned or reopened quarter stays open to the agency this long even when
# its reporting window has closed (workflow.window_is_open honours it).
CORRECTION_DAYS = 14
COMMENT_MAX_LENGTH = 5000

SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
SCORE_PLACES = rules.SCORE_PLACES

Status = QuarterResult.Status


def values_to_quarter(result: QuarterResult) -> list[Decimal | None]:
    """The results of quarters 1..n of this quarter's indicator, this quarter
    as the evaluator sees it (one query)."""
    stored = dict(
        QuarterResult.objects.filter(indicator_id=result.indicator_id, quarter__lt=result.quarter)
        .values_list("quarter", "value")
    )
    return values_up_to(result, stored)


def values_up_to(result: QuarterResult, stored: dict[int, Decimal | None]) -> list[Decimal | None]:
    """values_to_quarter from the indicator's results already loaded
    ({quarter: value}); this quarter's own value is the one in `result`."""
    return [result.value if q == result.quarter else stored.get(q) for q in range(1, result.quarter + 1)]


def computed_score(result: QuarterResult, values: list[Decimal | None] | None = None) -> Decimal | None:
    """Score 2.1 for this quarter: what the value achieved to date (quarters
    1..n by the indicator's aggregation) earns against the target that
    applies to quarter n, with the rounding of rules.suggested_score. None
    when nothing has been reported. `values`: values_to_quarter(result), if
    the caller has them already."""
    indicator = result.indicator
    if values is None:
        values = values_to_quarter(result)
    target = rules.applicable_target(indicator.annual_target, result.target)
    return rules.suggested_score(values, result.quarter, indicator.aggregation, target, indicator.direction)


def default_correct_by(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=CORRECTION_DAYS)


def accept(*, result: QuarterResult, user: User, expected_version: int | str) -> QuarterResult:
    """Accept a submitted quarter 1-3: 2.2 takes the value of 2.1 and the
    quarter is locked for reporters."""
    check_evaluator(user)
    _check_status(result, Status.SUBMITTED)
    if result.quarter == FINAL_QUARTER:
        raise ValidationError(
            _("ไตรมาสที่ 4 เป็นการประเมินประจำปี ต้องให้คะแนน 2.2 ด้วยการประเมินไตรมาสที่ 4"), code="final_quarter"
        )
    score = _required_computed_score(result)
    result.status = Status.ACCEPTED
    result.score_self = score
    result.score_confirmed = score
    result.score_reason = ""
    reason = _("ตรวจรับไตรมาสที่ %(q)s คะแนน 2.1 / 2.2 = %(s)s") % {"q": result.quarter, "s": _fmt(score)}
    return _save_if_current(result, user=user, expected_version=expected_version, reason=reason, event="accepted")


def score_final_quarter(*, result: QuarterResult, user: User, expected_version: int | str,
                        score: Decimal | str | None, reason: str = "") -> QuarterResult:
    """The annual evaluation: the evaluator's own score 2.2 for quarter 4
    (0-100). A score that differs from 2.1 needs a reason. Locks the quarter."""
    check_evaluator(user)
    _check_status(result, Status.SUBMITTED)
    if result.quarter != FINAL_QUARTER:
        raise ValidationError(
            _("ให้คะแนน 2.2 เองได้เฉพาะไตรมาสที่ 4 ไตรมาสอื่นใช้การตรวจรับ"), code="not_final_quarter"
        )
    suggested = _required_computed_score(result)
    score = _valid_score(score)
    reason = (reason or "").strip()
    if score != suggested and not reason:
        raise ValidationError(
            {"reason": _("คะแนน 2.2 (%(given)s) ต่างจากคะแนน 2.1 (%(suggested)s) กรุณาระบุเหตุผล")
                       % {"given": _fmt(score), "suggested": _fmt(suggested)}},
            code="reason_required",
        )
    _check_length(reason, "reason")
    result.status = Status.ACCEPTED
    result.score_self = suggested
    result.score_confirmed = score
    result.score_reason = reason
    history_reason = _("ประเมินไตรมาสที่ 4 คะแนน 2.1 = %(s1)s, 2.2 = %(s2)s") % {
        "s1": _fmt(suggested), "s2": _fmt(score),
    }
    if reason:
        history_reason += _(" เหตุผล: %(reason)s") % {"reason": reason}
    return _save_if_current(result, user=user, expected_version=expected_version, reason=history_reason,
                            event="scored")


def return_for_correction(*, result: QuarterResult, user: User, expected_version: int | str, comment: str,
                          correct_by: datetime.date | None = None) -> QuarterResult:
    """Send a submitted quarter back to the agency with a comment; its
    reporters may edit it again until at least `correct_by`."""
    check_evaluator(user)
    _check_status(result, Status.SUBMITTED)
    comment = _required_text(comment, "comment", _("กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข"))
    _open_for_correction(result, correct_by)
    result.status = Status.RETURNED
    result.reviewer_comment = comment
    history_reason = _("ส่งกลับแก้ไขไตรมาสที่ %(q)s: %(comment)s") % {"q": result.quarter, "comment": comment}
    with transaction.atomic():
        result = _save_if_current(result, user=user, expected_version=expected_version, reason=history_reason,
                                  event="returned")
        # The comment opens a thread the agency can answer on (conversations/).
        conversations.start_from_return(result, user, comment)
    return result


def reopen(*, result: QuarterResult, user: User, expected_version: int | str, reason: str,
           correct_by: datetime.date | None = None) -> QuarterResult:
    """Unlock an accepted quarter for the agency's reporters. Its scores are
    cleared (the history keeps them): it must be reviewed again."""
    check_evaluator(user)
    _check_status(result, Status.ACCEPTED)
    reason = _required_text(reason, "reason", _("กรุณาระบุเหตุผลที่เปิดให้แก้ไขอีกครั้ง"))
    _open_for_correction(result, correct_by)
    result.status = Status.RETURNED
    result.reviewer_comment = reason
    result.score_self = None
    result.score_confirmed = None
    result.score_reason = ""
    history_reason = _("เปิดให้แก้ไขไตรมาสที่ %(q)s อีกครั้ง: %(reason)s") % {"q": result.quarter, "reason": reason}
    return _save_if_current(result, user=user, expected_version=expected_version, reason=history_reason,
                            event="reopened")


def check_evaluator(user: User | AnonymousUser) -> None:
    """The one rule of who reviews: evaluators only (403 otherwise). Every
    service here starts with it, and every review route asks it before
    reading anything (views/review.evaluator_only), so no caller goes
    around it and no page of the review shows a non-evaluator anything."""
    if not permissions.is_evaluator(user):
        raise PermissionDenied(_("เฉพาะผู้ตรวจประเมินเท่านั้นที่ตรวจและให้คะแนนได้"))


# --- helpers ---------------------------------------------------------------


def _check_status(result: QuarterResult, expected: QuarterResult.Status) -> None:
    if result.status != expected:
        messages = {
            Status.SUBMITTED: _("ไตรมาสนี้ไม่ได้อยู่ในสถานะรอตรวจ (สถานะปัจจุบัน: %(status)s)"),
            Status.ACCEPTED: _("เปิดให้แก้ไขได้เฉพาะไตรมาสที่ตรวจรับแล้ว (สถานะปัจจุบัน: %(status)s)"),
        }
        raise ValidationError(
            messages[expected] % {"status": Status(result.status).label}, code="wrong_status"
        )


def _required_computed_score(result: QuarterResult) -> Decimal:
    score = computed_score(result)
    if score is None:
        raise ValidationError(_("ไตรมาสนี้ยังไม่มีผลงานที่รายงาน จึงคำนวณคะแนน 2.1 ไม่ได้"), code="no_value")
    return score


def _valid_score(score: Decimal | str | None) -> Decimal:
    message = _("คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100")
    if score is None or score == "":
        raise ValidationError({"score": _("กรุณาระบุคะแนน 2.2")}, code="required")
    try:
        score = Decimal(str(score))
    except InvalidOperation:
        raise ValidationError({"score": message}, code="invalid") from None
    if not score.is_finite() or not SCORE_MIN <= score <= SCORE_MAX:
        raise ValidationError({"score": message}, code="out_of_range")
    if score != score.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP):
        raise ValidationError({"score": _("คะแนน 2.2 มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง")}, code="too_precise")
    return score.quantize(SCORE_PLACES)


def _required_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    _check_length(value, field)
    return value


def _check_length(value: str, field: str) -> None:
    if len(value) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {field: _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": f"{COMMENT_MAX_LENGTH:,}"}}, code="too_long"
        )


def _open_for_correction(result: QuarterResult, correct_by: datetime.date | None) -> None:
    today = timezone.localdate()
    correct_by = correct_by or default_correct_by(today)
    if correct_by < today:
        raise ValidationError({"correct_by": _("วันที่ให้แก้ไขได้ถึงต้องไม่ก่อนวันนี้")}, code="past_date")
    if result.reopened_until is None or result.reopened_until < correct_by:
        result.reopened_until = correct_by


def _fmt(score: Decimal | None) -> str:
    return formats.score(score)


def _save_if_current(result: QuarterResult, *, user: User, expected_version: int | str,
                     reason: str, event: str) -> QuarterResult:
    """Save only if nobody changed the quarter since the evaluator saw it.

    The version is bumped by a conditional UPDATE first: it succeeds for one
    writer only, on SQLite and PostgreSQL alike, and a refused write changes
    nothing. The full save after it records the history row; `event` (the
    action) is announced in the same transaction (indicators/signals.py)."""
    try:
        expected_version = int(expected_version)
    except (TypeError, ValueError):
        raise workflow.StaleVersion() from None
    if result.version != expected_version:
        raise workflow.StaleVersion()
    with transaction.atomic():
        claimed = QuarterResult.objects.filter(pk=result.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not claimed:
            raise workflow.StaleVersion()
        now = timezone.now()
        result.version = expected_version + 1
        result.reviewed_at = now
        result.reviewed_by = user
        result.updated_by = user
        workflow.record_change(result, user, reason)
        result.full_clean(exclude=["indicator"], validate_unique=False, validate_constraints=False)
        result.save()
        signals.quarter_reviewed.send(sender=QuarterResult, result=result, action=event, user=user)
    return result
