"""Conversations on a quarter: threads about one indicator quarter or one
project update, their messages (edits kept in history) and the users each
message mentions (for their notice and their "mentioned" count)."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import QUARTER_CHOICES, Indicator
from projects.models import Project


class Thread(models.Model):
    """About exactly one of: an indicator's quarter, a project's quarterly update."""

    indicator = models.ForeignKey(Indicator, verbose_name=_("ตัวชี้วัด"), on_delete=models.CASCADE, null=True,
                                  blank=True, related_name="threads")
    project = models.ForeignKey(Project, verbose_name=_("โครงการ"), on_delete=models.CASCADE, null=True, blank=True,
                                related_name="threads")
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), choices=QUARTER_CHOICES)
    title = models.CharField(_("หัวข้อ"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("เริ่มเมื่อ"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้เริ่ม"), on_delete=models.PROTECT,
                                   related_name="+")
    resolved_at = models.DateTimeField(_("ได้ข้อยุติเมื่อ"), null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้ระบุว่าได้ข้อยุติ"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(indicator__isnull=False, project__isnull=True)
                           | Q(indicator__isnull=True, project__isnull=False)),
                name="thread_about_indicator_or_project",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "quarter"], name="thread_indicator_quarter"),
                   models.Index(fields=["project", "quarter"], name="thread_project_quarter")]
        verbose_name = _("การสนทนา")
        verbose_name_plural = _("การสนทนา")

    def __str__(self):
        return self.title or f"#{self.pk}"

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    @property
    def owner_id(self) -> int:
        """The agency whose quarter this is (its people may see and write)."""
        subject = self.indicator if self.indicator_id else self.project
        return subject.owner_id


class Message(models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("การสนทนา"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้เขียน"), on_delete=models.PROTECT,
                               related_name="+")
    text = models.TextField(_("ข้อความ"), validators=[MaxLengthValidator(settings.LONG_TEXT_MAX_LENGTH)])
    created_at = models.DateTimeField(_("เขียนเมื่อ"), auto_now_add=True)
    edited_at = models.DateTimeField(_("แก้ไขเมื่อ"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ข้อความ")
        verbose_name_plural = _("ข้อความ")

    def __str__(self):
        return self.text[:50]


class Mention(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="unique_mention_per_message")]
        verbose_name = _("การกล่าวถึง")
        verbose_name_plural = _("การกล่าวถึง")

    def __str__(self):
        return f"@{self.user}"
