"""Mails: Thai subject, plain text and HTML bodies from templates, links to
the exact page on SITE_URL, the city's name as the sender's name. A mail
says only what the recipient may read on the site, never attaches files."""

from __future__ import annotations

from collections.abc import Sequence
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from .models import Notification


def absolute(url: str) -> str:
    """A site path as a link that works from a mail client."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def sender() -> str:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or str(settings.NOTIFICATION_SENDER_NAME), address))


def message(user: User, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """One mail to `user` from templates/notifications/mail/<template>.txt and .html."""
    context = {**context, "user": user, "site_url": settings.SITE_URL.rstrip("/"),
               "sender_name": settings.NOTIFICATION_SENDER_NAME,
               "preferences_url": absolute("/notifications/preferences/")}
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/mail/{template}.txt", context)
        html = render_to_string(f"notifications/mail/{template}.html", context)
        subject = " ".join(str(subject).split())
    mail = EmailMultiAlternatives(subject=subject, body=text, from_email=sender(), to=[user.email])
    mail.attach_alternative(html, "text/html")
    return mail


def notice_message(user: User, notice: Notification) -> EmailMultiAlternatives:
    return message(user, notice.title, "notice", {"notice": notice, "link": absolute(notice.url)})


def send(messages: Sequence[EmailMultiAlternatives]) -> int:
    """All through one connection (one SMTP session for a batch)."""
    if not messages:
        return 0
    return get_connection().send_messages(list(messages)) or 0
