"""A job: long work done by a task worker for one user (a book, a big
export, an import, a rollover). What kinds there are is not known here: each
feature registers its own (jobs/kinds.py), so this app imports none of them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import kinds


class Job(models.Model):
    """What was asked, how far it got, and where its file (or its outcome) is."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังดำเนินการ")
        DONE = "done", _("เสร็จแล้ว")
        FAILED = "failed", _("ไม่สำเร็จ")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้สั่ง"), on_delete=models.CASCADE,
                              related_name="jobs")
    # A registered kind's name (kinds.register); no choices, so a feature adds
    # kinds without a migration here.
    kind = models.CharField(_("ชนิดงาน"), max_length=30)
    # What was asked, as the form's or export's query parameters: the job
    # validates them again, as its owner, when it runs.
    params = models.JSONField(default=dict)
    title = models.CharField(_("ชื่องาน"), max_length=500, blank=True)
    status = models.CharField(_("สถานะ"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Runs of sheets still being laid out; the one that brings it to 0 queues the assembly.
    runs_left = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    # What a job that makes no file found (an import's counts and problems).
    result = models.JSONField(default=dict, blank=True)
    download_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("สั่งเมื่อ"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # Written by the worker as it goes; a running job silent for too long is dead.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        # The names the indexes had in reports (the table moved here with them).
        indexes = [
            models.Index(fields=["owner", "status"], name="reports_pri_owner_i_c353f3_idx"),
            models.Index(fields=["status", "heartbeat_at"], name="reports_pri_status_e9ee77_idx"),
        ]
        verbose_name = _("งานเบื้องหลัง")
        verbose_name_plural = _("งานเบื้องหลัง")

    def __str__(self):
        return f"{self.kind_label} #{self.pk}"

    @property
    def kind_info(self) -> kinds.JobKind:
        return kinds.get(self.kind)

    @property
    def kind_label(self) -> str:
        return str(self.kind_info.label)

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def result_url(self) -> str | None:
        """The page that shows what a job without a file found (an import's
        check), or None: the job's file is its result."""
        page = self.kind_info.result_page
        return reverse(page, args=[self.pk]) if page else None

    @property
    def restart_url(self) -> str | None:
        """Where to start again when a retry would fail the same way (a new
        upload rather than the same file), or None: the job page offers a retry."""
        page = self.kind_info.restart_page
        return reverse(page) if page else None

    def progress_text(self) -> str:
        return self.kind_info.progress_text.format(done=self.done, total=self.total)
