"""Projects and activities (โครงการ/กิจกรรม) that carry the indicators: the
record per fiscal year, its activities (milestones) with weights, and one
update per quarter (progress, spending, narrative) under the same windows,
locks, review and history as an indicator's quarterly result.

Progress, planned progress and a project's standing are rules in
projects/progress.py; who may see and change a project, in
projects/permissions.py."""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import QUARTER_CHOICES, Agency, FiscalYear, Indicator

from .progress import Standing

PERCENT_VALIDATORS = [
    MinValueValidator(0, message=_("ร้อยละต้องไม่น้อยกว่า 0")),
    MaxValueValidator(100, message=_("ร้อยละต้องไม่เกิน 100")),
]
MONEY_VALIDATORS = [MinValueValidator(0, message=_("จำนวนเงินต้องไม่ติดลบ"))]
# As the old site numbers them: the owner agency's code, "-", a serial
# ("18000000-2531"); our agency codes are shorter ("2100-0012").
validate_project_code = RegexValidator(
    r"^[0-9]{2,10}-[0-9]{1,6}$",
    _("รหัสโครงการต้องเป็นรหัสหน่วยงาน ตามด้วย - และเลขลำดับ เช่น 2100-0012"),
)


class ProjectQuerySet(models.QuerySet):
    def of_year(self, year: int) -> "ProjectQuerySet":
        return self.filter(fiscal_year__year=year)


class Project(models.Model):
    fiscal_year = models.ForeignKey(FiscalYear, verbose_name=_("ปีงบประมาณ"), on_delete=models.PROTECT,
                                    related_name="projects")
    code = models.CharField(_("รหัสโครงการ"), max_length=30, validators=[validate_project_code])
    name = models.TextField(_("ชื่อโครงการ/กิจกรรม"), validators=[MaxLengthValidator(1000)])
    owner = models.ForeignKey(Agency, verbose_name=_("หน่วยงานเจ้าของโครงการ"), on_delete=models.PROTECT,
                              related_name="projects")
    responsible_name = models.CharField(_("ผู้รับผิดชอบ"), max_length=200, blank=True)
    responsible_phone = models.CharField(_("โทรศัพท์ผู้รับผิดชอบ"), max_length=50, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("บัญชีผู้ใช้ของผู้รับผิดชอบ"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="responsible_projects",
    )
    rationale = models.TextField(_("หลักการและเหตุผล"), blank=True,
                                 validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    objectives = models.TextField(_("วัตถุประสงค์"), blank=True,
                                  validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    target_group = models.TextField(_("กลุ่มเป้าหมาย"), blank=True,
                                    validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    # Where it happens: any of the district offices.
    districts = models.ManyToManyField(Agency, verbose_name=_("สำนักงานเขตที่ดำเนินการ"), blank=True,
                                       related_name="hosted_projects",
                                       limit_choices_to={"kind": Agency.Kind.DISTRICT_OFFICE})
    planned_start = models.DateField(_("วันเริ่มตามแผน"), null=True, blank=True)
    planned_finish = models.DateField(_("วันสิ้นสุดตามแผน"), null=True, blank=True)
    actual_start = models.DateField(_("วันเริ่มจริง"), null=True, blank=True)
    actual_finish = models.DateField(_("วันสิ้นสุดจริง"), null=True, blank=True)
    budget_allocated = models.DecimalField(_("งบประมาณที่ได้รับ (บาท)"), max_digits=14, decimal_places=2,
                                           null=True, blank=True, validators=MONEY_VALIDATORS)
    budget_source = models.CharField(_("แหล่งงบประมาณ/รหัสแผนงาน"), max_length=300, blank=True)
    # The same project registered again the year before, under its code then:
    # a project's lineage reads across years.
    continues_from = models.OneToOneField(
        "self", verbose_name=_("ต่อเนื่องจากโครงการปีก่อน"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="continued_by",
    )
    indicators = models.ManyToManyField(Indicator, verbose_name=_("ตัวชี้วัดที่สนับสนุน"), blank=True,
                                        related_name="projects")
    # Bumped by every change to what its page and sheet show (the caches' key).
    sheet_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # What the list filters and sorts on, stored by projects/standing.py from
    # the rules (progress.standing) so that a year's list is an indexed read:
    # the latest reported progress and disbursement, and the standing on the
    # day `standing_on` (the plan's expectation moves with the calendar, so
    # they are recomputed daily). Derived values: kept out of the history.
    progress = models.DecimalField(_("ความคืบหน้าล่าสุด (ร้อยละ)"), max_digits=5, decimal_places=2, null=True,
                                   blank=True, editable=False)
    disbursed = models.DecimalField(_("เบิกจ่ายสะสมล่าสุด (บาท)"), max_digits=14, decimal_places=2, null=True,
                                    blank=True, editable=False)
    standing = models.CharField(_("สถานะโครงการ"), max_length=20, choices=Standing.choices,
                                default=Standing.NOT_STARTED, editable=False)
    standing_on = models.DateField(_("สถานะ ณ วันที่"), null=True, blank=True, editable=False)

    objects = ProjectQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["progress", "disbursed", "standing", "standing_on"])

    class Meta:
        ordering = ["fiscal_year", "code"]
        constraints = [models.UniqueConstraint(fields=["fiscal_year", "code"], name="unique_project_code_per_year")]
        indexes = [models.Index(fields=["fiscal_year", "owner"], name="project_year_owner"),
                   models.Index(fields=["fiscal_year", "standing"], name="project_year_standing")]
        verbose_name = _("โครงการ/กิจกรรม")
        verbose_name_plural = _("โครงการ/กิจกรรม")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.fiscal_year.year, self.code])

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.planned_start and self.planned_finish and self.planned_start > self.planned_finish:
            errors["planned_finish"] = _("วันสิ้นสุดตามแผนต้องไม่ก่อนวันเริ่มตามแผน")
        if self.actual_start and self.actual_finish and self.actual_start > self.actual_finish:
            errors["actual_finish"] = _("วันสิ้นสุดจริงต้องไม่ก่อนวันเริ่มจริง")
        if self.continues_from_id and self.fiscal_year_id:
            earlier = self.continues_from
            if earlier is not None and earlier.fiscal_year.year != self.fiscal_year.year - 1:
                errors["continues_from"] = _("โครงการที่ต่อเนื่องต้องเป็นของปีงบประมาณก่อนหน้า")
        if errors:
            raise ValidationError(errors)


class Milestone(models.Model):
    """An activity of a project with its share of the whole (weights of a
    project total 100) and its planned dates; its percent complete is
    recorded by each quarter's update (MilestoneProgress)."""

    project = models.ForeignKey(Project, verbose_name=_("โครงการ"), on_delete=models.CASCADE,
                                related_name="milestones")
    name = models.CharField(_("ชื่อกิจกรรม"), max_length=500)
    weight = models.DecimalField(_("น้ำหนัก (ร้อยละ)"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(0, message=_("น้ำหนักต้องไม่ติดลบ")),
                                             MaxValueValidator(100, message=_("น้ำหนักต้องไม่เกิน 100"))])
    planned_start = models.DateField(_("วันเริ่มตามแผน"), null=True, blank=True)
    planned_finish = models.DateField(_("วันสิ้นสุดตามแผน"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "order", "pk"]
        verbose_name = _("กิจกรรม")
        verbose_name_plural = _("กิจกรรม")

    def __str__(self):
        return self.name


class ProjectUpdate(models.Model):
    """One quarter of one project: progress, spending, the narrative, and
    where it stands in the same workflow as an indicator's result."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("ยังไม่เริ่ม")
        DRAFT = "draft", _("ฉบับร่าง")
        # With the year's agency_signoff: submitted, waiting for the agency's approver.
        AWAITING_APPROVAL = "awaiting_approval", _("รอหน่วยงานอนุมัติ")
        SUBMITTED = "submitted", _("ส่งแล้ว รอตรวจ")
        RETURNED = "returned", _("ส่งกลับแก้ไข")
        ACCEPTED = "accepted", _("ตรวจรับแล้ว")

    project = models.ForeignKey(Project, verbose_name=_("โครงการ"), on_delete=models.CASCADE,
                                related_name="updates")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    # The project's progress to date: the weighted sum of its activities'
    # (progress.weighted_progress), or typed when it has none.
    progress = models.DecimalField(_("ความคืบหน้า (ร้อยละ)"), max_digits=5, decimal_places=2, null=True,
                                   blank=True, validators=PERCENT_VALIDATORS)
    disbursed = models.DecimalField(_("เบิกจ่ายสะสม (บาท)"), max_digits=14, decimal_places=2, null=True,
                                    blank=True, validators=MONEY_VALIDATORS)
    planned_disbursement = models.DecimalField(_("แผนการเบิกจ่ายสะสม (บาท)"), max_digits=14, decimal_places=2,
                                               null=True, blank=True, validators=MONEY_VALIDATORS)
    narrative = models.TextField(_("ผลการดำเนินงาน"), blank=True,
                                 validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    problems = models.TextField(_("ปัญหาอุปสรรค"), blank=True,
                                validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    # Required when the progress is behind the plan (progress.delay_refusal).
    delay_reason = models.TextField(_("เหตุผลที่ล่าช้ากว่าแผน"), blank=True,
                                    validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    status = models.CharField(_("สถานะ"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    reviewer_comment = models.TextField(_("ความเห็นผู้ตรวจประเมิน"), blank=True)
    # สยป.'s project score for the quarter ("สยป. ประเมินโครงการ : ไตรมาสที่ 3 100").
    score = models.DecimalField(_("คะแนนประเมินโครงการ"), max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0, message=_("คะแนนต้องไม่น้อยกว่า 0")),
                                            MaxValueValidator(100, message=_("คะแนนต้องไม่เกิน 100"))])
    score_reason = models.TextField(_("เหตุผลของคะแนน"), blank=True)
    reopened_until = models.DateField(_("เปิดให้แก้ไขเป็นกรณีพิเศษถึง"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    reviewed_at = models.DateTimeField(_("ตรวจเมื่อ"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    # The soft warnings the saved update raised (progress.warnings), by code,
    # and whether the reporter confirmed them; shown to the evaluator.
    warnings = models.JSONField(_("ข้อสังเกต"), default=list, blank=True)
    warnings_confirmed = models.BooleanField(_("ผู้รายงานยืนยันข้อสังเกตแล้ว"), default=False)
    # Optimistic concurrency, as QuarterResult.version.
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "quarter"]
        constraints = [models.UniqueConstraint(fields=["project", "quarter"], name="unique_update_per_quarter")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="project_update_status")]
        verbose_name = _("รายงานความคืบหน้าโครงการรายไตรมาส")
        verbose_name_plural = _("รายงานความคืบหน้าโครงการรายไตรมาส")

    def __str__(self):
        return f"{self.project.code} Q{self.quarter}"

    @property
    def is_locked(self):
        """Accepted quarters are locked for reporters until an evaluator reopens them."""
        return self.status == self.Status.ACCEPTED


class MilestoneProgress(models.Model):
    """An activity's percent complete as one quarter's update reports it."""

    update = models.ForeignKey(ProjectUpdate, on_delete=models.CASCADE, related_name="milestone_progress")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="progress")
    percent = models.DecimalField(_("ความคืบหน้า (ร้อยละ)"), max_digits=5, decimal_places=2,
                                  validators=PERCENT_VALIDATORS)

    history = HistoricalRecords()

    class Meta:
        ordering = ["update", "milestone__order", "milestone"]
        constraints = [models.UniqueConstraint(fields=["update", "milestone"], name="unique_progress_per_milestone")]
        verbose_name = _("ความคืบหน้ากิจกรรม")
        verbose_name_plural = _("ความคืบหน้ากิจกรรม")

    def __str__(self):
        return f"{self.milestone} {self.percent}%"


def project_evidence_upload_to(instance, filename):
    """Generated names only, as indicator evidence: the uploader's name is
    kept in original_name, never used on disk."""
    return f"project-evidence/{instance.project_id}/{uuid.uuid4().hex}"


class ProjectEvidence(models.Model):
    """A file attached to one quarter's project update (the same storage,
    types and limits as indicator evidence). Removing it keeps the record."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evidence")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    file = models.FileField(_("ไฟล์"), upload_to=project_evidence_upload_to, max_length=300)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    content_hash = models.CharField(_("รหัสเนื้อหาไฟล์ (SHA-256)"), max_length=64, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    removed_at = models.DateTimeField(_("ลบเมื่อ"), null=True, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "quarter", "uploaded_at"]
        verbose_name = _("หลักฐานโครงการ")
        verbose_name_plural = _("หลักฐานโครงการ")

    def __str__(self):
        return self.original_name

    @cached_property
    def file_missing(self) -> bool:
        return not self.file.name or not self.file.storage.exists(self.file.name)
