"""What was said to whom: in-app notifications (also the record of what was
mailed), reminders already sent (so a second run sends nothing twice), each
user's choice per kind of notice and the administrators' defaults, and the
reminder settings of a fiscal year."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import FiscalYear, Indicator


class Kind(models.TextChoices):
    RETURNED = "returned", _("ส่งกลับแก้ไข")
    REOPENED = "reopened", _("เปิดให้แก้ไขอีกครั้ง")
    ACCEPTED = "accepted", _("ตรวจรับแล้ว")
    SCORED = "scored", _("ประเมินไตรมาสที่ 4 แล้ว")
    SUBMITTED = "submitted", _("มีผลส่งเข้ามารอตรวจ")
    REMINDER = "reminder", _("เตือนก่อนปิดรับรายงาน")
    OVERDUE = "overdue", _("เลยกำหนดส่งรายงาน")
    JOB_FINISHED = "job_finished", _("งานเบื้องหลังเสร็จ")
    IMPORT_FINISHED = "import_finished", _("นำเข้าข้อมูลเสร็จ")
    # สยป.'s project score for a quarter (accept, return and reopen of a
    # project update use the kinds above, so one choice covers both).
    PROJECT_SCORED = "project_scored", _("ประเมินโครงการแล้ว")
    # Someone wrote @username in a quarter's conversation (conversations/).
    MENTIONED = "mentioned", _("มีผู้กล่าวถึงคุณในการสนทนา")
    # Agency sign-off (issue 24): to the agency's approvers and stand-ins.
    AWAITING_APPROVAL = "awaiting_approval", _("มีผลรอหน่วยงานอนุมัติ")


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", _("ทันที (ในระบบและอีเมล)")
    DIGEST = "digest", _("สรุปรายวัน (ในระบบทันที อีเมลวันละครั้ง)")
    OFF = "off", _("ไม่รับ")


# A returned (or reopened) quarter must be corrected by a date: its notice
# cannot be turned off.
MANDATORY = frozenset({Kind.RETURNED, Kind.REOPENED})
# Without an administrator's default: submissions reach evaluators, and
# quarters awaiting sign-off their approvers, as a daily digest; everything
# else at once.
BUILT_IN_DEFAULTS = {Kind.SUBMITTED: Delivery.DIGEST, Kind.AWAITING_APPROVAL: Delivery.DIGEST}


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("ผู้รับ")
    )
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("ตัวชี้วัด")
    )
    quarter = models.PositiveSmallIntegerField(_("ไตรมาส"), null=True, blank=True)
    title = models.CharField(_("หัวข้อ"), max_length=300)
    text = models.TextField(_("ข้อความ"), blank=True)
    # A path on this site ("/indicators/2563/2100-1037/"); mails prefix SITE_URL.
    url = models.CharField(_("ลิงก์"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("เมื่อ"), auto_now_add=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)
    # Waits for the recipient's daily digest mail (send_digests), then stamped.
    in_digest = models.BooleanField(_("รอส่งในอีเมลสรุปรายวัน"), default=False)
    mailed_at = models.DateTimeField(_("ส่งอีเมลเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["in_digest", "mailed_at"], name="notification_digest"),
        ]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")

    def __str__(self):
        return self.title


class SentReminder(models.Model):
    """One reminder (or overdue notice) sent to one user: its key names the
    quarter, the kind, the days before the close and the user, so that
    send_reminders run twice on one day sends it once."""

    key = models.CharField(max_length=100, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("การเตือนที่ส่งแล้ว")
        verbose_name_plural = _("การเตือนที่ส่งแล้ว")

    def __str__(self):
        return self.key


class Preference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    delivery = models.CharField(_("การแจ้ง"), max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_preference_per_kind")]
        verbose_name = _("การตั้งค่าการแจ้งเตือนของผู้ใช้")
        verbose_name_plural = _("การตั้งค่าการแจ้งเตือนของผู้ใช้")

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}: {self.get_delivery_display()}"


class DefaultPreference(models.Model):
    """The administrators' default for a kind, for users who chose nothing."""

    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices, unique=True)
    delivery = models.CharField(_("การแจ้ง"), max_length=10, choices=Delivery.choices)

    class Meta:
        verbose_name = _("ค่าเริ่มต้นการแจ้งเตือน")
        verbose_name_plural = _("ค่าเริ่มต้นการแจ้งเตือน")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_delivery_display()}"

    def clean(self):
        if self.kind in MANDATORY and self.delivery == Delivery.OFF:
            raise ValidationError({"delivery": _("การแจ้งเตือนประเภทนี้ปิดไม่ได้")})


DAYS_PATTERN = re.compile(r"^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$")


def validate_days(value: str) -> None:
    if value.strip() and not DAYS_PATTERN.match(value):
        raise ValidationError(_("ระบุจำนวนวันเป็นตัวเลขคั่นด้วยจุลภาค เช่น 7,1"))


class ReminderSettings(models.Model):
    """How reporters of a fiscal year are reminded."""

    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.CASCADE, related_name="reminder_settings", verbose_name=_("ปีงบประมาณ")
    )
    days_before = models.CharField(
        _("เตือนก่อนปิดรับรายงาน (วัน)"), max_length=50, default="7,1", blank=True, validators=[validate_days],
        help_text=_("จำนวนวันก่อนวันปิดรับรายงาน คั่นด้วยจุลภาค เช่น 7,1 เว้นว่างเพื่อไม่เตือน"),
    )
    overdue_notice = models.BooleanField(_("แจ้งเมื่อเลยกำหนด (วันถัดจากวันปิด)"), default=True)
    copy_overdue_to_manager = models.BooleanField(
        _("ส่งสำเนาการแจ้งเลยกำหนดถึงผู้บริหารของหน่วยงาน"), default=False,
        help_text=_("ผู้บริหารของหน่วยงาน คือผู้ใช้ในกลุ่มผู้บริหารที่เป็นเจ้าหน้าที่ของหน่วยงานนั้น"),
    )

    class Meta:
        verbose_name = _("การตั้งค่าการเตือนของปีงบประมาณ")
        verbose_name_plural = _("การตั้งค่าการเตือนของปีงบประมาณ")

    def __str__(self):
        return str(self.fiscal_year)

    def days(self) -> list[int]:
        return sorted({int(part) for part in self.days_before.split(",") if part.strip()}, reverse=True)
