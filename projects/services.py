"""Writes for a project's quarter update: progress (typed, or from its
activities), spending, the narrative, the delay's reason, the project's
actual dates, the evidence files, saved together or not at all, and never
over somebody else's change.

Every route that changes an update goes through save_project_update, which
asks workflow.edit_refusal, compares the version the writer started from
with the one in the database, and checks the rules again (assess): the form
uses the same function to say so next to the fields."""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import workflow as indicator_workflow
from indicators.models import Quarter
from indicators.text import thai_date
from web.evidence_files import content_hash

from . import progress, signals, standing
from .models import Milestone, MilestoneProgress, Project, ProjectEvidence, ProjectUpdate
from .workflow import edit_refusal

log = logging.getLogger(__name__)


class UpdateRefused(PermissionDenied):
    """The quarter may not be changed by this user now; str() is the Thai reason."""


@dataclass
class UpdateChanges:
    """What a reporter asks to save. `progress` is used only when the project
    has no activities; otherwise milestone_percents (milestone id -> percent)
    make it."""

    progress: Decimal | None = None
    milestone_percents: dict[int, Decimal | None] = field(default_factory=dict)
    disbursed: Decimal | None = None
    planned_disbursement: Decimal | None = None
    narrative: str = ""
    problems: str = ""
    delay_reason: str = ""
    actual_start: datetime.date | None = None
    actual_finish: datetime.date | None = None
    new_files: list[tuple[UploadedFile, str]] = field(default_factory=list)  # (file, checked MIME type)
    remove_evidence_ids: list[int] = field(default_factory=list)
    submit: bool = False
    # The reporter ticked "confirm" for the soft warnings shown to them.
    warnings_confirmed: bool = False


@dataclass
class QuarterState:
    """One quarter of a project as the form page needs it, in a fixed number
    of queries: the window, the saved update (or None), the activities with
    this update's percent of each, the previous quarter's progress and the
    current evidence."""

    project: Project
    quarter: int
    window: Quarter | None
    update: ProjectUpdate | None
    milestones: list[Milestone]
    percents: dict[int, Decimal]
    previous_progress: Decimal | None
    evidence: QuerySet[ProjectEvidence]

    @property
    def quarter_end(self) -> datetime.date:
        return self.project.fiscal_year.quarter_period(self.quarter)[1]

    @property
    def planned(self) -> Decimal | None:
        """The progress the plan expects at the end of this quarter."""
        activities = [progress.Activity(m.weight, m.planned_start, m.planned_finish) for m in self.milestones]
        return progress.planned_progress(activities, self.project.planned_start, self.project.planned_finish,
                                         self.quarter_end)


def quarter_state(project: Project, quarter: int) -> QuarterState:
    updates = {u.quarter: u for u in ProjectUpdate.objects.filter(project=project, quarter__in=[quarter, quarter - 1])
               .select_related("updated_by")}
    update = updates.get(quarter)
    previous = updates.get(quarter - 1)
    percents = {}
    if update is not None:
        percents = dict(MilestoneProgress.objects.filter(update=update).values_list("milestone_id", "percent"))
    return QuarterState(
        project=project,
        quarter=quarter,
        window=Quarter.objects.filter(fiscal_year_id=project.fiscal_year_id, number=quarter).first(),
        update=update,
        milestones=list(project.milestones.all()),
        percents=percents,
        previous_progress=previous.progress if previous is not None else None,
        evidence=ProjectEvidence.objects.filter(project=project, quarter=quarter, removed_at__isnull=True)
        .order_by("uploaded_at", "id"),
    )


@dataclass
class Assessment:
    progress: Decimal | None
    planned: Decimal | None
    delay_refusal: str | None
    warnings: list[str]


def assess(state: QuarterState, changes: UpdateChanges) -> Assessment:
    """The rules on what is about to be saved: the project's progress, the
    plan's, whether a delay's reason is missing (asked on submit: a draft may
    be unfinished) and the soft warnings."""
    if state.milestones:
        made = progress.weighted_progress(
            (m.weight, changes.milestone_percents.get(m.pk)) for m in state.milestones)
    else:
        made = changes.progress
    planned = state.planned
    refusal = progress.delay_refusal(made, planned, changes.delay_reason) if changes.submit else None
    found = progress.warnings(progress=made, previous_progress=state.previous_progress, disbursed=changes.disbursed,
                              allocated=state.project.budget_allocated, actual_finish=changes.actual_finish)
    return Assessment(progress=made, planned=planned, delay_refusal=refusal, warnings=found)


def warning_texts(codes: list[str]) -> list[str]:
    return [str(progress.WARNING_TEXT.get(code, code)) for code in codes]


def _locked_update(project: Project, quarter: int) -> ProjectUpdate:
    """The quarter's row, locked for this transaction (indicators.workflow.locked_quarter_row)."""
    return cast(ProjectUpdate, indicator_workflow.locked_quarter_row(ProjectUpdate, project=project, quarter=quarter))


def save_project_update(*, user: User, project: Project, quarter: int, expected_version: int,
                        changes: UpdateChanges, today: datetime.date | None = None) -> ProjectUpdate:
    """Save (or submit) one quarter's update atomically. Raises UpdateRefused,
    indicators.workflow.StaleVersion or ValidationError and then saves
    nothing, not even the uploaded files."""
    today = today or timezone.localdate()
    stored_files: list[tuple[str, Storage]] = []
    try:
        with transaction.atomic():
            update = _apply(user, project, quarter, expected_version, changes, today, stored_files)
    except BaseException:
        for name, storage in stored_files:
            storage.delete(name)
        raise
    if changes.submit and update.status == ProjectUpdate.Status.SUBMITTED:
        signals.update_submitted.send(sender=ProjectUpdate, update=update, user=user)
    return update


def _apply(user: User, project: Project, quarter: int, expected_version: int, changes: UpdateChanges,
           today: datetime.date, stored_files: list[tuple[str, Storage]]) -> ProjectUpdate:
    update = _locked_update(project, quarter)
    state = quarter_state(project, quarter)
    refusal = edit_refusal(user, project, state.window, update, today)
    if refusal:
        raise UpdateRefused(refusal)
    if update.version != expected_version:
        raise indicator_workflow.StaleVersion(update)  # type: ignore[arg-type]  # the page reads .version etc.
    assessment = _check(state, changes)

    # With the year's agency sign-off, a submit first waits for the agency's
    # approver (signoff/), who sends it on to the evaluators' queue.
    awaits_approval = changes.submit and project.fiscal_year.agency_signoff
    if awaits_approval:
        reason = _("ส่งรายงานความคืบหน้าโครงการ รอผู้อนุมัติของหน่วยงานอนุมัติ")
    else:
        reason = _("ส่งรายงานความคืบหน้าโครงการ") if changes.submit else _("บันทึกฉบับร่าง")
    _save_project_dates(user, project, changes, reason)

    update.progress = assessment.progress
    update.disbursed = changes.disbursed
    update.planned_disbursement = changes.planned_disbursement
    update.narrative = changes.narrative
    update.problems = changes.problems
    update.delay_reason = changes.delay_reason
    update.warnings = assessment.warnings
    update.warnings_confirmed = bool(assessment.warnings and changes.warnings_confirmed)
    if changes.submit:
        update.status = (ProjectUpdate.Status.AWAITING_APPROVAL if awaits_approval
                         else ProjectUpdate.Status.SUBMITTED)
        update.submitted_at = timezone.now()
        update.submitted_by = user
    elif update.status != ProjectUpdate.Status.RETURNED:
        # A returned quarter stays "returned" until submitted again.
        update.status = ProjectUpdate.Status.DRAFT
    update.version += 1
    update.updated_by = user
    indicator_workflow.record_change(update, user, reason)
    update.save()
    if awaits_approval:
        signals.update_awaiting_approval.send(sender=ProjectUpdate, update=update, user=user)

    _save_milestone_progress(user, update, state, changes, reason)
    _save_evidence(user, project, quarter, changes, stored_files)
    # The project's page and sheet show its updates: their caches' key moves.
    Project.objects.filter(pk=project.pk).update(sheet_version=F("sheet_version") + 1)
    # The list's stored progress, spending and standing (no history row).
    standing.refresh_ids([project.pk], today)
    return update


def _check(state: QuarterState, changes: UpdateChanges) -> Assessment:
    """The hard rules, again for callers other than the form; the assessment
    of what passes."""
    errors = []
    if changes.submit:
        if not state.milestones and changes.progress is None:
            errors.append(ValidationError(_("กรุณากรอกความคืบหน้าก่อนส่งรายงาน"), code="required"))
        missing = [m.name for m in state.milestones if changes.milestone_percents.get(m.pk) is None]
        if missing:
            errors.append(ValidationError(_("กรุณากรอกความคืบหน้าของกิจกรรมให้ครบก่อนส่งรายงาน: %(names)s"),
                                          code="required", params={"names": ", ".join(missing)}))
    if changes.actual_start and changes.actual_finish and changes.actual_start > changes.actual_finish:
        errors.append(ValidationError(_("วันสิ้นสุดจริงต้องไม่ก่อนวันเริ่มจริง"), code="dates"))
    assessment = assess(state, changes)
    if assessment.delay_refusal:
        errors.append(ValidationError(assessment.delay_refusal, code="delay_reason"))
    if assessment.warnings and not changes.warnings_confirmed:
        errors.append(ValidationError(
            _("มีข้อสังเกต: %(warnings)s โปรดตรวจอีกครั้ง หากถูกต้องให้ทำเครื่องหมาย “ยืนยันว่าถูกต้อง”"),
            code="warnings", params={"warnings": "; ".join(warning_texts(assessment.warnings))}))
    if errors:
        raise ValidationError(errors)
    return assessment


def _save_project_dates(user: User, project: Project, changes: UpdateChanges, reason: str) -> None:
    locked = Project.objects.select_for_update(of=("self",)).order_by().get(pk=project.pk)
    if (locked.actual_start, locked.actual_finish) == (changes.actual_start, changes.actual_finish):
        return
    locked.actual_start, locked.actual_finish = changes.actual_start, changes.actual_finish
    indicator_workflow.record_change(locked, user, reason)
    locked.save(update_fields=["actual_start", "actual_finish"])
    project.actual_start, project.actual_finish = changes.actual_start, changes.actual_finish


def _save_milestone_progress(user: User, update: ProjectUpdate, state: QuarterState, changes: UpdateChanges,
                             reason: str) -> None:
    existing = {row.milestone_id: row for row in
                MilestoneProgress.objects.select_for_update(of=("self",)).order_by().filter(update=update)}
    for milestone in state.milestones:
        percent = changes.milestone_percents.get(milestone.pk)
        row = existing.get(milestone.pk)
        if row is None:
            if percent is None:
                continue
            row = MilestoneProgress(update=update, milestone=milestone)
        elif percent is None:
            indicator_workflow.record_change(row, user, reason)
            row.delete()
            continue
        elif row.percent == percent:
            continue  # unchanged rows add no history
        row.percent = percent
        indicator_workflow.record_change(row, user, reason)
        row.save()


def _save_evidence(user: User, project: Project, quarter: int, changes: UpdateChanges,
                   stored_files: list[tuple[str, Storage]]) -> None:
    if changes.remove_evidence_ids:
        now = timezone.now()
        for evidence in ProjectEvidence.objects.select_for_update(of=("self",)).order_by().filter(
            project=project, quarter=quarter, removed_at__isnull=True, id__in=changes.remove_evidence_ids
        ):
            # The record and the file stay: history must still show what was attached.
            evidence.removed_at = now
            evidence.removed_by = user
            indicator_workflow.record_change(evidence, user, _("ลบไฟล์หลักฐาน"))
            evidence.save()
    for uploaded, content_type in changes.new_files:
        name = uploaded.name or ""
        evidence = ProjectEvidence(project=project, quarter=quarter, original_name=name, content_type=content_type,
                                   size=uploaded.size or 0, uploaded_by=user, content_hash=content_hash(uploaded))
        try:
            evidence.file.save(name, uploaded, save=False)
        except OSError as error:
            log.error("project evidence upload %r for project %s failed: %s", name, project.pk, error)
            raise ValidationError(
                _("เก็บไฟล์ “%(name)s” ไม่สำเร็จ เพราะที่เก็บไฟล์ของระบบขัดข้อง รายงานนี้จึงยังไม่ถูกบันทึก "
                  "โปรดลองใหม่ภายหลังหรือแจ้งผู้ดูแลระบบ"),
                code="storage", params={"name": name},
            ) from error
        stored_files.append((str(evidence.file.name), evidence.file.storage))
        indicator_workflow.record_change(evidence, user, _("แนบไฟล์หลักฐาน"))
        evidence.save()


# The history page: what changed in a project's updates, who and why.
TRACKED = {
    Project: ["actual_start", "actual_finish"],
    ProjectUpdate: ["progress", "disbursed", "planned_disbursement", "narrative", "problems", "delay_reason",
                    "status", "warnings_confirmed", "reviewer_comment", "score", "score_reason"],
    MilestoneProgress: ["percent"],
    ProjectEvidence: ["original_name", "removed_at"],
}
LONG_FIELDS = {"narrative", "problems", "delay_reason", "reviewer_comment", "score_reason"}


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    long: bool = False


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    quarter: int | None
    subject: str
    reason: str
    changes: list[FieldChange]

    @property
    def when_text(self) -> str:
        local = timezone.localtime(self.when)
        return f"{thai_date(local.date())} {local:%H:%M}"


def _shown(record: Any, name: str) -> str:
    value = getattr(record, name) if record is not None else None
    if value is None or value == "" or value is False:
        return ""
    if value is True:
        return _("ใช่")
    if name == "status":
        return str(ProjectUpdate.Status(value).label)
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value)
        return f"{thai_date(local.date())} {local:%H:%M}"
    if isinstance(value, datetime.date):
        return thai_date(value)
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


def _subject(model: type, record: Any) -> str:
    if model is Project:
        return _("วันดำเนินการจริงของโครงการ")
    if model is ProjectUpdate:
        return _("รายงานความคืบหน้า")
    if model is MilestoneProgress:
        return _("ความคืบหน้ากิจกรรม “%(name)s”") % {"name": record.milestone.name if record.milestone else ""}
    return _("ไฟล์หลักฐาน “%(name)s”") % {"name": record.original_name}


def update_history(project: Project) -> list[HistoryEntry]:
    """Every change to the project's updates, its activities' percents, its
    evidence and its actual dates, newest first, in five queries."""
    quarter_of = dict(ProjectUpdate.objects.filter(project=project).values_list("pk", "quarter"))
    querysets = {
        Project: Project.history.filter(id=project.pk).select_related("history_user"),
        ProjectUpdate: ProjectUpdate.history.filter(project_id=project.pk).select_related("history_user"),
        MilestoneProgress: MilestoneProgress.history.filter(milestone__project_id=project.pk)
        .select_related("history_user", "milestone"),
        ProjectEvidence: ProjectEvidence.history.filter(project_id=project.pk).select_related("history_user"),
    }
    entries = []
    for model, queryset in querysets.items():
        previous_of: dict[int, object] = {}
        for record in queryset.order_by("history_date", "history_id"):
            previous = previous_of.get(record.id)
            previous_of[record.id] = record
            changes = []
            for name in TRACKED[model]:
                old, new = _shown(previous, name), _shown(record, name)
                if old != new:
                    label = str(getattr(model._meta.get_field(name), "verbose_name", name))
                    changes.append(FieldChange(label, old, new, name in LONG_FIELDS))
            if model is Project and previous is None:
                continue  # created by setup: its fields are on the project page
            if not changes and record.history_type != "-":
                continue
            if model is ProjectUpdate or model is ProjectEvidence:
                quarter = record.quarter
            elif model is MilestoneProgress:
                quarter = quarter_of.get(record.update_id)
            else:
                quarter = None
            user = record.history_user
            entries.append(HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("ระบบ"),
                quarter=quarter, subject=_subject(model, record), reason=record.history_change_reason or "",
                changes=changes,
            ))
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
