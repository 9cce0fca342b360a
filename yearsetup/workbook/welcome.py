"""New accounts made by a staff import get no password: each gets a link
to set one (Django's password-reset token, valid until it is used or
PASSWORD_RESET_TIMEOUT passes), by e-mail, or printed once when the account
has no address."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import get_connection, send_mass_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _


def password_link(user: Any, base_url: str) -> str:
    path = reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
    return base_url.rstrip("/") + path


def welcome(users: Iterable[Any], base_url: str) -> list[tuple[str, str]]:
    """Mails each new user with an address their link; returns (username,
    link) of those without one, for the caller to hand over once."""
    mails, unmailed = [], []
    for user in users:
        link = password_link(user, base_url)
        if user.email:
            mails.append((
                _("บัญชีผู้ใช้ระบบติดตามตัวชี้วัดของท่าน"),
                _("เรียน %(name)s\n\nผู้ดูแลระบบได้สร้างบัญชีผู้ใช้ “%(username)s” ให้ท่าน "
                  "กรุณาตั้งรหัสผ่านที่ลิงก์นี้ก่อนเข้าใช้งาน:\n%(link)s\n") % {
                    "name": user.get_full_name() or user.username, "username": user.username, "link": link},
                settings.DEFAULT_FROM_EMAIL, [user.email]))
        else:
            unmailed.append((user.username, link))
    if mails:
        send_mass_mail(mails, connection=get_connection())
    return unmailed
