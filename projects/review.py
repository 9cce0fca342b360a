"""The evaluator's writes on a project's quarterly update: accept a submitted
one, return it with a comment, score an accepted one (0-100 with a reason),
reopen an accepted one. As evaluation/services.py does for indicator results
(this app sits below evaluation, so it keeps its own copy of the few checks).

Each service takes keyword arguments, checks who acts (evaluators only,
permissions.can_review_project) and the update's state, validates its input
with Thai messages, and saves in one transaction only if the update is still
at the version the evaluator saw (indicators.workflow.StaleVersion
otherwise). Every save records who acted and why in the update's history and
announces itself (signals.update_reviewed) in the same transaction."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import formats, workflow

from . import signals, standing
from .models import ProjectUpdate
from .permissions import can_review_project

# A returned or reopened update stays open to the agency this long even after
# its reporting window closed (projects.workflow honours reopened_until), the
# same as an indicator's quarter (evaluation.services.CORRECTION_DAYS).
CORRECTION_DAYS = 14
COMMENT_MAX_LENGTH = 5000
SCORE_MIN = Decimal("0")
SCORE_MAX = Decimal("100")
SCORE_PLACES = Decimal("0.01")

Status = ProjectUpdate.Status


def default_correct_by(today: datetime.date | None = None) -> datetime.date:
    return (today or timezone.localdate()) + datetime.timedelta(days=CORRECTION_DAYS)


def accept(*, update: ProjectUpdate, user: User, expected_version: int | str) -> ProjectUpdate:
    """Accept a submitted update: it is locked for the agency's reporters."""
    check_reviewer(user, update)
    _check_status(update, Status.SUBMITTED)
    update.status = Status.ACCEPTED
    reason = _("ตรวจรับรายงานความคืบหน้าโครงการ ไตรมาสที่ %(q)s") % {"q": update.quarter}
    return _save_if_current(update, user=user, expected_version=expected_version, reason=reason, event="accepted")


def return_for_correction(*, update: ProjectUpdate, user: User, expected_version: int | str, comment: str,
                          correct_by: datetime.date | None = None) -> ProjectUpdate:
    """Send a submitted update back with a comment; the agency's reporters may
    edit it again until at least `correct_by`."""
    check_reviewer(user, update)
    _check_status(update, Status.SUBMITTED)
    comment = _required_text(comment, "comment", _("กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข"))
    _open_for_correction(update, correct_by)
    update.status = Status.RETURNED
    update.reviewer_comment = comment
    reason = _("ส่งกลับแก้ไขรายงานโครงการ ไตรมาสที่ %(q)s: %(comment)s") % {"q": update.quarter, "comment": comment}
    return _save_if_current(update, user=user, expected_version=expected_version, reason=reason, event="returned")


def score(*, update: ProjectUpdate, user: User, expected_version: int | str, score: Decimal | str | None,
          reason: str) -> ProjectUpdate:
    """สยป.'s project score for the quarter (0-100, 2 places) and why. Given
    on an accepted update (what was reported has been checked); given again,
    it replaces the earlier one, which the history keeps."""
    check_reviewer(user, update)
    _check_status(update, Status.ACCEPTED)
    value = _valid_score(score)
    reason = _required_text(reason, "reason", _("กรุณาระบุเหตุผลของคะแนน"))
    update.score = value
    update.score_reason = reason
    history_reason = _("ประเมินโครงการ ไตรมาสที่ %(q)s คะแนน %(s)s เหตุผล: %(reason)s") % {
        "q": update.quarter, "s": formats.score(value), "reason": reason}
    return _save_if_current(update, user=user, expected_version=expected_version, reason=history_reason,
                            event="scored")


def reopen(*, update: ProjectUpdate, user: User, expected_version: int | str, reason: str,
           correct_by: datetime.date | None = None) -> ProjectUpdate:
    """Unlock an accepted update for the agency's reporters (back to
    returned). Its score is cleared (the history keeps it): it is reviewed
    and scored again once corrected."""
    check_reviewer(user, update)
    _check_status(update, Status.ACCEPTED)
    reason = _required_text(reason, "reason", _("กรุณาระบุเหตุผลที่เปิดให้แก้ไขอีกครั้ง"))
    _open_for_correction(update, correct_by)
    update.status = Status.RETURNED
    update.reviewer_comment = reason
    update.score = None
    update.score_reason = ""
    history_reason = _("เปิดให้แก้ไขรายงานโครงการ ไตรมาสที่ %(q)s อีกครั้ง: %(reason)s") % {
        "q": update.quarter, "reason": reason}
    return _save_if_current(update, user=user, expected_version=expected_version, reason=history_reason,
                            event="reopened")


def check_reviewer(user: User | AnonymousUser, update: ProjectUpdate | None = None) -> None:
    """Evaluators only (403 otherwise): every service starts with it, and the
    review pages ask it before reading anything."""
    if update is None:
        allowed = can_review_project(user, None)  # type: ignore[arg-type]  # the rule ignores the project
    else:
        allowed = can_review_project(user, update.project)
    if not allowed:
        raise PermissionDenied(_("เฉพาะผู้ตรวจประเมินเท่านั้นที่ตรวจและให้คะแนนโครงการได้"))


# --- helpers ---------------------------------------------------------------


def _check_status(update: ProjectUpdate, expected: str) -> None:
    if update.status != expected:
        messages: dict[str, str] = {
            Status.SUBMITTED: _("รายงานโครงการไตรมาสนี้ไม่ได้อยู่ในสถานะรอตรวจ (สถานะปัจจุบัน: %(status)s)"),
            Status.ACCEPTED: _("ทำได้เฉพาะรายงานโครงการที่ตรวจรับแล้ว (สถานะปัจจุบัน: %(status)s)"),
        }
        raise ValidationError(messages[expected] % {"status": Status(update.status).label}, code="wrong_status")


def _valid_score(value: Decimal | str | None) -> Decimal:
    message = _("คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100")
    if value is None or value == "":
        raise ValidationError({"score": _("กรุณาระบุคะแนนประเมินโครงการ")}, code="required")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError({"score": message}, code="invalid") from None
    if not number.is_finite() or not SCORE_MIN <= number <= SCORE_MAX:
        raise ValidationError({"score": message}, code="out_of_range")
    if number != number.quantize(SCORE_PLACES, rounding=ROUND_HALF_UP):
        raise ValidationError({"score": _("คะแนนประเมินโครงการมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง")}, code="too_precise")
    return number.quantize(SCORE_PLACES)


def _required_text(value: str | None, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message}, code="required")
    if len(value) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {field: _("ข้อความยาวเกิน %(n)s ตัวอักษร") % {"n": f"{COMMENT_MAX_LENGTH:,}"}}, code="too_long"
        )
    return value


def _open_for_correction(update: ProjectUpdate, correct_by: datetime.date | None) -> None:
    today = timezone.localdate()
    correct_by = correct_by or default_correct_by(today)
    if correct_by < today:
        raise ValidationError({"correct_by": _("วันที่ให้แก้ไขได้ถึงต้องไม่ก่อนวันนี้")}, code="past_date")
    if update.reopened_until is None or update.reopened_until < correct_by:
        update.reopened_until = correct_by


def _save_if_current(update: ProjectUpdate, *, user: User, expected_version: int | str, reason: str,
                     event: str) -> ProjectUpdate:
    """Save only if nobody changed the update since the evaluator saw it: a
    conditional UPDATE claims the next version for one writer only (SQLite
    and PostgreSQL alike); the full save after it writes the history row."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise workflow.StaleVersion() from None
    if update.version != expected:
        raise workflow.StaleVersion()
    with transaction.atomic():
        claimed = ProjectUpdate.objects.filter(pk=update.pk, version=expected).update(version=F("version") + 1)
        if not claimed:
            raise workflow.StaleVersion()
        update.version = expected + 1
        update.reviewed_at = timezone.now()
        update.reviewed_by = user
        update.updated_by = user
        workflow.record_change(update, user, reason)
        update.full_clean(exclude=["project"], validate_unique=False, validate_constraints=False)
        update.save()
        # The list's stored figures, after every write to an update (no history row).
        standing.refresh_ids([update.project_id], timezone.localdate())
        signals.update_reviewed.send(sender=ProjectUpdate, update=update, action=event, user=user)
    return update
