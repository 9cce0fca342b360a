"""Narrative reports: per indicator and quarter, one part for the indicator as
a whole (district_group empty) and optionally one part per district group."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import QUARTER_CHOICES, DataSourceItem, DistrictGroup, Indicator
from web.evidence_files import KIND_LABELS


class Narrative(models.Model):
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("ตัวชี้วัด"), on_delete=models.CASCADE, related_name="narratives"
    )
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    district_group = models.ForeignKey(
        DistrictGroup,
        verbose_name=_("กลุ่มเขต"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="narratives",
    )
    text = models.TextField(
        _("รายงานผล"), blank=True, validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)]
    )
    updated_at = models.DateTimeField(_("แก้ไขล่าสุดเมื่อ"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("แก้ไขล่าสุดโดย"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "quarter", "district_group__order"]
        constraints = [
            # NULLs are distinct in a unique index, so the whole-indicator part
            # needs its own partial constraint.
            models.UniqueConstraint(
                fields=["indicator", "quarter"],
                condition=Q(district_group__isnull=True),
                name="unique_general_narrative",
            ),
            models.UniqueConstraint(
                fields=["indicator", "quarter", "district_group"],
                condition=Q(district_group__isnull=False),
                name="unique_group_narrative",
            ),
        ]
        verbose_name = _("รายงานผลรายไตรมาส")
        verbose_name_plural = _("รายงานผลรายไตรมาส")

    def __str__(self):
        return f"{self.indicator.code} Q{self.quarter} {self.district_group or ''}".strip()


def evidence_upload_to(instance, filename):
    """Generated names only: the uploader's file name is kept in original_name,
    never used on disk."""
    import uuid

    return f"evidence/{instance.indicator_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file attached to one quarter's report. Removing it keeps the record
    (removed_at) so the history stays whole."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="evidence")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    file = models.FileField(_("ไฟล์"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("ลบเมื่อ"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # SHA-256 of the content, so the same file is not attached twice to a
    # quarter; files stored before it existed get theirs when next compared
    # (web.evidence_files.known_contents).
    content_hash = models.CharField(_("รหัสเนื้อหาไฟล์ (SHA-256)"), max_length=64, blank=True, editable=False)
    # The checklist item (the indicator's declared data source) the file is
    # evidence of; empty: "อื่น ๆ" (other). An item removed from the
    # indicator leaves its files as other.
    item = models.ForeignKey(
        DataSourceItem, verbose_name=_("รายการหลักฐาน"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="evidence",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "quarter", "uploaded_at"]
        verbose_name = _("หลักฐาน")
        verbose_name_plural = _("หลักฐาน")

    def __str__(self):
        return self.original_name

    @property
    def kind_label(self):
        """"PDF", "Word", "รูปภาพ JPG", ...: the type as a person names it."""
        return KIND_LABELS.get(self.content_type, self.content_type)

    @cached_property
    def file_missing(self) -> bool:
        """The record says there is a file but the storage has none (deleted
        by hand, or a restore of the database without MEDIA_ROOT)."""
        return not self.file.name or not self.file.storage.exists(self.file.name)


class PendingEvidence(models.Model):
    """A file a reporter attached to a report that the form refused (a
    result to confirm, a field in error, a conflict): kept for that user
    alone, on that indicator's quarter, so they need not choose it again.
    It becomes Evidence when the report is saved (same stored file), or is
    deleted when they drop it or after pending_evidence.KEEP_HOURS."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    # Stored where evidence is, under a generated name: saving moves no bytes.
    file = models.FileField(_("ไฟล์"), upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(_("ชื่อไฟล์"), max_length=255)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    size = models.PositiveIntegerField(_("ขนาด (ไบต์)"))
    content_hash = models.CharField(max_length=64)
    item = models.ForeignKey(DataSourceItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "indicator", "quarter"], name="pending_evidence_owner")]

    def __str__(self):
        return self.original_name


class ChecklistWaiver(models.Model):
    """A checklist item marked not applicable (ไม่เกี่ยวข้อง) for one quarter
    of its indicator, with the reporter's reason: the item then needs no
    file. Unmarking deletes the row (its history stays)."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("ตัวชี้วัด"), on_delete=models.CASCADE,
                                  related_name="checklist_waivers")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    item = models.ForeignKey(DataSourceItem, verbose_name=_("รายการหลักฐาน"), on_delete=models.CASCADE,
                             related_name="waivers")
    reason = models.TextField(_("เหตุผลที่ไม่เกี่ยวข้อง"), validators=[MaxLengthValidator(1000)])
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ระบุโดย"), on_delete=models.SET_NULL,
                                  null=True, related_name="+")
    waived_at = models.DateTimeField(_("ระบุเมื่อ"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "quarter", "item__order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "quarter", "item"], name="unique_checklist_waiver"),
        ]
        verbose_name = _("รายการหลักฐานที่ไม่เกี่ยวข้อง")
        verbose_name_plural = _("รายการหลักฐานที่ไม่เกี่ยวข้อง")

    def __str__(self):
        return f"{self.indicator_id} Q{self.quarter} {self.item_id}"
