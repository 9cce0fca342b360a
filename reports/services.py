"""Writes for a quarter's report: the result, the narratives and the evidence
files, saved together or not at all, and never over somebody else's change.

Every route that changes a report (the form, a replayed POST, a script) goes
through save_quarter_report, which asks workflow.edit_refusal and compares
the version the writer started from with the one in the database."""

import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import workflow
from indicators.models import QuarterResult

from .models import Evidence, Narrative
from .selectors_entry import quarter_window

log = logging.getLogger(__name__)


class ReportRefused(PermissionDenied):
    """The quarter may not be changed by this user now; str() is the Thai reason."""


class ConcurrentEdit(Exception):
    """Someone saved the quarter after the writer loaded it. Carries the
    current row so the page can show what the other person changed."""

    def __init__(self, current):
        super().__init__("quarter changed since it was loaded")
        self.current = current


@dataclass
class ReportChanges:
    """What a reporter asks to save. narratives maps a district group id
    (None for the part about the indicator as a whole) to its text."""

    value: object = None
    narratives: dict = field(default_factory=dict)
    new_files: list = field(default_factory=list)  # (uploaded file, checked MIME type)
    remove_evidence_ids: list = field(default_factory=list)
    submit: bool = False


def _locked_result(indicator, number):
    """The quarter's row, locked for this transaction; created when the
    quarter has never been touched (version 0)."""
    locked = QuarterResult.objects.select_for_update(of=("self",)).order_by()
    result = locked.filter(indicator=indicator, quarter=number).first()
    if result is not None:
        return result
    try:
        with transaction.atomic():
            # Inserted only to hold the lock; the save that follows is the
            # change worth a history row.
            result = QuarterResult(indicator=indicator, quarter=number)
            result.skip_history_when_saving = True
            result.save()
            del result.skip_history_when_saving
            return result
    except IntegrityError:
        # Another writer created it between our read and our insert.
        return locked.get(indicator=indicator, quarter=number)


def _record(instance, user, reason):
    instance._history_user = user
    instance._change_reason = reason


def save_quarter_report(*, user, indicator, quarter_number, expected_version, changes, today=None):
    """Save (or submit) one quarter's report atomically. Returns the saved
    QuarterResult. Raises ReportRefused, ConcurrentEdit or ValidationError
    and then saves nothing, not even the uploaded files."""
    today = today or timezone.localdate()
    stored_files = []
    try:
        with transaction.atomic():
            result = _save(user, indicator, quarter_number, expected_version, changes, today, stored_files)
    except BaseException:
        # The rows rolled back; the files written on the way must go too.
        for name, storage in stored_files:
            storage.delete(name)
        raise
    return result


def _save(user, indicator, quarter_number, expected_version, changes, today, stored_files):
    result = _locked_result(indicator, quarter_number)
    refusal = workflow.edit_refusal(user, indicator, quarter_window(indicator, quarter_number), result, today)
    if refusal:
        raise ReportRefused(refusal)
    if result.version != expected_version:
        raise ConcurrentEdit(result)
    if changes.submit and changes.value is None:
        # The form says so next to the field; this guards other callers.
        raise ValidationError(_("กรุณากรอกผลงานก่อนส่งผลการดำเนินงาน"), code="required")

    reason = _("ส่งผลการดำเนินงาน") if changes.submit else _("บันทึกฉบับร่าง")
    result.value = changes.value
    if changes.submit:
        result.status = QuarterResult.Status.SUBMITTED
        result.submitted_at = timezone.now()
        result.submitted_by = user
    elif result.status != QuarterResult.Status.RETURNED:
        # A returned quarter stays "returned" (with the evaluator's comment
        # in view) until the corrected report is submitted again.
        result.status = QuarterResult.Status.DRAFT
    result.version += 1
    result.updated_by = user
    _record(result, user, reason)
    result.save()

    narratives = Narrative.objects.select_for_update(of=("self",)).order_by()
    existing = {n.district_group_id: n for n in narratives.filter(indicator=indicator, quarter=quarter_number)}
    for group_id, text in changes.narratives.items():
        narrative = existing.get(group_id)
        if narrative is None:
            if not text:
                continue
            narrative = Narrative(indicator=indicator, quarter=quarter_number, district_group_id=group_id)
        elif narrative.text == text:
            continue  # unchanged parts add no history rows
        narrative.text = text
        narrative.updated_by = user
        _record(narrative, user, reason)
        narrative.save()

    if changes.remove_evidence_ids:
        now = timezone.now()
        for evidence in Evidence.objects.select_for_update(of=("self",)).order_by().filter(
            indicator=indicator, quarter=quarter_number, removed_at__isnull=True, id__in=changes.remove_evidence_ids
        ):
            # The record and the file stay: history must still show what was attached.
            evidence.removed_at = now
            evidence.removed_by = user
            _record(evidence, user, _("ลบไฟล์หลักฐาน"))
            evidence.save()

    for uploaded, content_type in changes.new_files:
        evidence = Evidence(
            indicator=indicator,
            quarter=quarter_number,
            original_name=uploaded.name,
            content_type=content_type,
            size=uploaded.size,
            uploaded_by=user,
        )
        try:
            evidence.file.save(uploaded.name, uploaded, save=False)
        except OSError as error:
            # A full or unwritable disk: nothing of this save is kept, and the
            # reporter gets the form back with everything typed.
            log.error("evidence upload %r for indicator %s failed: %s", uploaded.name, indicator.pk, error)
            raise ValidationError(
                _("เก็บไฟล์ “%(name)s” ไม่สำเร็จ เพราะที่เก็บไฟล์ของระบบขัดข้อง รายงานนี้จึงยังไม่ถูกบันทึก "
                  "โปรดลองใหม่ภายหลังหรือแจ้งผู้ดูแลระบบ"),
                code="storage",
                params={"name": uploaded.name},
            ) from error
        stored_files.append((evidence.file.name, evidence.file.storage))
        _record(evidence, user, _("แนบไฟล์หลักฐาน"))
        evidence.save()
    return result
