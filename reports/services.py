"""Writes for a quarter's report: the result, the narratives and the evidence
files, saved together or not at all, and never over somebody else's change.

Every route that changes a report (the form, a replayed POST, a script) goes
through save_quarter_report, which asks workflow.edit_refusal and compares
the version the writer started from with the one in the database."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import signals, workflow
from indicators.models import DataSourceItem, Indicator, QuarterResult
from web.evidence_files import content_hash

from . import checklist, pending_evidence
from .models import ChecklistWaiver, Evidence, Narrative, PendingEvidence
from .selectors import quarter_window

log = logging.getLogger(__name__)


class ReportRefused(PermissionDenied):
    """The quarter may not be changed by this user now; str() is the Thai reason."""


@dataclass
class ReportChanges:
    """What a reporter asks to save. narratives maps a district group id
    (None for the part about the indicator as a whole) to its text."""

    value: Decimal | None = None
    narratives: dict[int | None, str] = field(default_factory=dict)
    new_files: list[tuple[UploadedFile, str]] = field(default_factory=list)  # (file, checked MIME type)
    # Files kept from a refused post of this user (pending_evidence), to attach now.
    pending_files: list[PendingEvidence] = field(default_factory=list)
    remove_evidence_ids: list[int] = field(default_factory=list)
    submit: bool = False
    # indicators/plausibility.py's warnings on the value ({"code", "message"}
    # each) and whether the reporter confirmed the value anyway.
    plausibility_flags: list[dict[str, str]] = field(default_factory=list)
    plausibility_confirmed: bool = False
    # The checklist (reports/checklist.py): the item of the files chosen now
    # (None: other), the item of each attached file ({evidence pk: item id
    # or None}), and the items marked not applicable ({item id: reason}; an
    # item left out is not waived).
    new_files_item_id: int | None = None
    evidence_items: dict[int, int | None] = field(default_factory=dict)
    waivers: dict[int, str] | None = None


def _locked_result(indicator: Indicator, number: int) -> QuarterResult:
    """The quarter's row, locked for this transaction (workflow.locked_quarter_row)."""
    return cast(QuarterResult, workflow.locked_quarter_row(QuarterResult, indicator=indicator, quarter=number))


def save_quarter_report(*, user: User, indicator: Indicator, quarter_number: int, expected_version: int,
                        changes: ReportChanges, today: datetime.date | None = None) -> QuarterResult:
    """Save (or submit) one quarter's report atomically. Returns the saved
    QuarterResult. Raises ReportRefused, workflow.StaleVersion or ValidationError
    and then saves nothing, not even the uploaded files."""
    today = today or timezone.localdate()
    stored_files: list[tuple[str, Storage]] = []
    try:
        with transaction.atomic():
            result = _apply_report(user, indicator, quarter_number, expected_version, changes, today, stored_files)
    except BaseException:
        # The rows rolled back; the files written on the way must go too.
        for name, storage in stored_files:
            storage.delete(name)
        raise
    return result


def _apply_report(user: User, indicator: Indicator, quarter_number: int, expected_version: int,
                  changes: ReportChanges, today: datetime.date, stored_files: list[tuple[str, Storage]]) -> QuarterResult:
    result = _locked_result(indicator, quarter_number)
    refusal = workflow.edit_refusal(user, indicator, quarter_window(indicator, quarter_number), result, today)
    if refusal:
        raise ReportRefused(refusal)
    if result.version != expected_version:
        raise workflow.StaleVersion(result)
    if changes.submit and changes.value is None:
        # The form says so next to the field; this guards other callers.
        raise ValidationError(_("กรุณากรอกผลงานก่อนส่งผลการดำเนินงาน"), code="required")

    # With the year's agency sign-off, a submit first waits for the agency's
    # approver (signoff/), who sends it on to the evaluators' queue.
    awaits_approval = changes.submit and indicator.fiscal_year.agency_signoff
    if awaits_approval:
        reason = _("ส่งผลการดำเนินงาน รอผู้อนุมัติของหน่วยงานอนุมัติ")
    else:
        reason = _("ส่งผลการดำเนินงาน") if changes.submit else _("บันทึกฉบับร่าง")
    result.value = changes.value
    result.plausibility_flags = list(changes.plausibility_flags)
    if changes.submit:
        missing = _missing_after(indicator, quarter_number, changes)
        if missing:
            # The evaluator sees what was sent without its evidence.
            result.plausibility_flags.append(checklist.missing_flag(missing))
    result.plausibility_confirmed = changes.plausibility_confirmed
    if changes.submit:
        result.status = (QuarterResult.Status.AWAITING_APPROVAL if awaits_approval
                         else QuarterResult.Status.SUBMITTED)
        result.submitted_at = timezone.now()
        result.submitted_by = user
    elif result.status != QuarterResult.Status.RETURNED:
        # A returned quarter stays "returned" (with the evaluator's comment
        # in view) until the corrected report is submitted again.
        result.status = QuarterResult.Status.DRAFT
    result.version += 1
    result.updated_by = user
    workflow.record_change(result, user, reason)
    result.save()
    if awaits_approval:
        signals.quarter_awaiting_approval.send(sender=QuarterResult, result=result, user=user)
    elif changes.submit:
        signals.quarter_submitted.send(sender=QuarterResult, result=result, user=user)

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
        workflow.record_change(narrative, user, reason)
        narrative.save()

    if changes.remove_evidence_ids:
        now = timezone.now()
        for evidence in Evidence.objects.select_for_update(of=("self",)).order_by().filter(
            indicator=indicator, quarter=quarter_number, removed_at__isnull=True, id__in=changes.remove_evidence_ids
        ):
            # The record and the file stay: history must still show what was attached.
            evidence.removed_at = now
            evidence.removed_by = user
            workflow.record_change(evidence, user, _("ลบไฟล์หลักฐาน"))
            evidence.save()

    if changes.evidence_items:
        _reassign_evidence(user, indicator, quarter_number, changes.evidence_items)
    if changes.waivers is not None:
        _save_waivers(user, indicator, quarter_number, changes.waivers)

    if changes.pending_files:
        _attach_pending(user, indicator, quarter_number, changes.pending_files)

    for uploaded, content_type in changes.new_files:
        name = uploaded.name or ""  # the form refuses a file without a name
        evidence = Evidence(
            indicator=indicator,
            quarter=quarter_number,
            original_name=name,
            content_type=content_type,
            size=uploaded.size or 0,
            uploaded_by=user,
            content_hash=content_hash(uploaded),
            item_id=changes.new_files_item_id,
        )
        try:
            evidence.file.save(name, uploaded, save=False)
        except OSError as error:
            # A full or unwritable disk: nothing of this save is kept, and the
            # reporter gets the form back with everything typed.
            log.error("evidence upload %r for indicator %s failed: %s", name, indicator.pk, error)
            raise ValidationError(
                _("เก็บไฟล์ “%(name)s” ไม่สำเร็จ เพราะที่เก็บไฟล์ของระบบขัดข้อง รายงานนี้จึงยังไม่ถูกบันทึก "
                  "โปรดลองใหม่ภายหลังหรือแจ้งผู้ดูแลระบบ"),
                code="storage",
                params={"name": name},
            ) from error
        stored_files.append((str(evidence.file.name), evidence.file.storage))
        workflow.record_change(evidence, user, _("แนบไฟล์หลักฐาน"))
        evidence.save()
    return result


def _attach_pending(user: User, indicator: Indicator, quarter_number: int, pending: list[PendingEvidence]) -> None:
    """Turn the user's kept files into Evidence: the stored file stays where
    it is and changes owner; the pending row goes in the same transaction."""
    wanted = {item.pk for item in pending}
    locked = list(
        pending_evidence.kept_for(user, indicator, quarter_number)
        .select_for_update(of=("self",)).order_by("created_at", "id").filter(pk__in=wanted)
    )
    if len(locked) != len(wanted):
        raise ValidationError(
            _("ไฟล์ที่แนบไว้ก่อนหน้านี้บางไฟล์หมดอายุแล้ว (เก็บไว้ %(hours)s ชั่วโมง) รายงานนี้จึงยังไม่ถูกบันทึก "
              "โปรดเลือกไฟล์อีกครั้ง"),
            code="pending_expired",
            params={"hours": pending_evidence.KEEP_HOURS},
        )
    for item in locked:
        evidence = Evidence(
            indicator=indicator,
            quarter=quarter_number,
            file=item.file.name,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
            content_hash=item.content_hash,
            uploaded_by=user,
            item_id=item.item_id,
        )
        workflow.record_change(evidence, user, _("แนบไฟล์หลักฐาน"))
        evidence.save()
        item.delete()


def _missing_after(indicator: Indicator, quarter_number: int, changes: ReportChanges) -> list[DataSourceItem]:
    """The checklist items that will have no file and no waiver once these
    changes are saved (three queries)."""
    items = list(DataSourceItem.objects.filter(indicator=indicator).order_by("order", "id"))
    if not items:
        return []
    removed = set(changes.remove_evidence_ids)
    covered: list[int | None] = [
        changes.evidence_items.get(pk, item_id)
        for pk, item_id in Evidence.objects.filter(indicator=indicator, quarter=quarter_number,
                                                   removed_at__isnull=True).values_list("pk", "item_id")
        if pk not in removed
    ]
    covered += [pending.item_id for pending in changes.pending_files]
    if changes.new_files:
        covered.append(changes.new_files_item_id)
    if changes.waivers is not None:
        waived = list(changes.waivers)
    else:
        waived = list(ChecklistWaiver.objects.filter(indicator=indicator, quarter=quarter_number)
                      .values_list("item_id", flat=True))
    return checklist.missing_items(items, covered, waived)


def _reassign_evidence(user: User, indicator: Indicator, quarter_number: int, items: dict[int, int | None]) -> None:
    """Attached files moved to another checklist item (or to other)."""
    valid = set(DataSourceItem.objects.filter(indicator=indicator).values_list("pk", flat=True))
    for evidence in Evidence.objects.select_for_update(of=("self",)).order_by().filter(
        indicator=indicator, quarter=quarter_number, removed_at__isnull=True, id__in=list(items)
    ):
        item_id = items[evidence.pk]
        item_id = item_id if item_id in valid else None
        if evidence.item_id == item_id:
            continue
        evidence.item_id = item_id
        workflow.record_change(evidence, user, _("เปลี่ยนรายการหลักฐานของไฟล์"))
        evidence.save()


def _save_waivers(user: User, indicator: Indicator, quarter_number: int, wanted: dict[int, str]) -> None:
    """The quarter's "not applicable" items made as asked: new ones added,
    changed reasons saved, unmarked ones deleted; each with its history."""
    valid = set(DataSourceItem.objects.filter(indicator=indicator).values_list("pk", flat=True))
    wanted = {item_id: reason.strip() for item_id, reason in wanted.items() if item_id in valid}
    if any(not reason for reason in wanted.values()):
        raise ValidationError(_("โปรดระบุเหตุผลของรายการหลักฐานที่ไม่เกี่ยวข้อง"), code="waiver_reason")
    existing = {w.item_id: w for w in ChecklistWaiver.objects.select_for_update(of=("self",)).order_by()
                .filter(indicator=indicator, quarter=quarter_number)}
    for item_id, waiver in existing.items():
        if item_id not in wanted:
            workflow.record_change(waiver, user, _("ยกเลิกการระบุว่าไม่เกี่ยวข้อง"))
            waiver.delete()
    for item_id, reason in wanted.items():
        kept = existing.get(item_id)
        if kept is not None and kept.reason == reason:
            continue
        waiver = kept or ChecklistWaiver(indicator=indicator, quarter=quarter_number, item_id=item_id)
        waiver.reason = reason
        waiver.waived_by = user
        workflow.record_change(waiver, user, _("ระบุว่ารายการหลักฐานไม่เกี่ยวข้อง"))
        waiver.save()
