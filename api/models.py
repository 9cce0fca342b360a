"""Personal API tokens: a user makes as many as they need (one per script or
system), names them, and revokes each on its own (the tokens page, or an
administrator in the admin). A token acts as its owner: it sees exactly what
its owner's pages show, and nothing while the owner is inactive.

Only a SHA-256 digest of a token is stored. A token is 32 random bytes, so
a fast hash is safe (nothing to guess from it) and a lookup by digest is one
indexed query; the token itself is shown once, when made."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

TOKEN_PREFIX = "kpi_"
# What the tokens page shows of a token to tell them apart ("kpi_Ab3dE5fG…").
SHOWN_CHARACTERS = 12
# last_used_at is written at most this often per token, not on every request.
TOUCH_INTERVAL = datetime.timedelta(minutes=5)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("ผู้ใช้"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("ชื่อโทเค็น"), max_length=100)
    shown = models.CharField(_("ส่วนต้นของโทเค็น"), max_length=SHOWN_CHARACTERS)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    expires_at = models.DateTimeField(_("หมดอายุ"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("ใช้ล่าสุด"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("เพิกถอนเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("โทเค็น API")
        verbose_name_plural = _("โทเค็น API")

    def __str__(self) -> str:
        return f"{self.name} ({self.shown}…)"

    @classmethod
    def issue(cls, user, name: str, days: int | None = None) -> tuple["ApiToken", str]:
        """A new token for `user`: (the saved row, the token itself, which is
        not stored and cannot be shown again)."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
        token = cls.objects.create(user=user, name=name, shown=raw[:SHOWN_CHARACTERS], digest=digest_of(raw),
                                   expires_at=expires_at)
        return token, raw

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        return not self.revoked and not self.expired

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
