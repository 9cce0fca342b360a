"""What the audit log keeps itself: users' role changes. Roles are Django
groups (indicators.permissions), whose membership has no history of its own."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleChange(models.Model):
    class Action(models.TextChoices):
        ADDED = "added", _("ให้สิทธิ์")
        REMOVED = "removed", _("ถอนสิทธิ์")

    at = models.DateTimeField(_("เมื่อ"), auto_now_add=True, db_index=True)
    # Who made the change (the signed-in user of the request); empty for a
    # command or the system (e.g. the approver role kept in step).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้แก้ไข"), on_delete=models.SET_NULL,
                              null=True, blank=True, related_name="+")
    # Whose role changed; the username is kept too, so the entry outlives the account.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้ใช้"), on_delete=models.SET_NULL,
                             null=True, blank=True, related_name="+")
    username = models.CharField(_("ชื่อผู้ใช้"), max_length=150)
    role = models.CharField(_("สิทธิ์"), max_length=150)
    action = models.CharField(_("การเปลี่ยนแปลง"), max_length=10, choices=Action.choices)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("การเปลี่ยนสิทธิ์ผู้ใช้")
        verbose_name_plural = _("การเปลี่ยนสิทธิ์ผู้ใช้")

    def __str__(self):
        return f"{self.username} {self.action} {self.role}"
