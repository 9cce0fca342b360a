"""The daily digest: one mail per user gathering the notices they chose to
receive that way (evaluators: submissions waiting, by default) since the
last digest. `manage.py send_digests`, once a day (docs/operations.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.models import QuarterResult

from . import mail, recipients
from .models import Notification

BATCH_SIZE = 200


@dataclass
class Digest:
    user: User
    notices: list[Notification]

    def subject(self) -> str:
        return _("สรุปการแจ้งเตือนประจำวัน %(n)s รายการ") % {"n": len(self.notices)}


def pending() -> list[Digest]:
    """Each user's notices waiting for the digest, those they may still see."""
    notices = list(
        Notification.objects.filter(in_digest=True, mailed_at__isnull=True)
        .select_related("indicator").order_by("recipient_id", "created_at", "id")
    )
    users = {u.pk: u for u in recipients.loaded(User.objects.filter(pk__in={n.recipient_id for n in notices}))}
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notice in notices:
        user = users.get(notice.recipient_id)
        if user is None or not user.email:
            continue
        if notice.indicator is not None and not permissions.can_view_indicator(user, notice.indicator):
            continue
        by_user[user.pk].append(notice)
    return [Digest(users[pk], items) for pk, items in by_user.items()]


def send(*, dry_run: bool = False) -> list[Digest]:
    """Mails every pending digest and stamps its notices; returns them."""
    digests = pending()
    if dry_run or not digests:
        return digests
    waiting = QuarterResult.objects.filter(status=QuarterResult.Status.SUBMITTED).count()
    for start in range(0, len(digests), BATCH_SIZE):
        batch = digests[start:start + BATCH_SIZE]
        with transaction.atomic():
            Notification.objects.filter(pk__in=[n.pk for d in batch for n in d.notices]).update(
                mailed_at=timezone.now())
            mail.send([
                mail.message(d.user, d.subject(), "digest", {
                    "digest": d,
                    "items": [(n, mail.absolute(n.url)) for n in d.notices],
                    "waiting": waiting if permissions.is_evaluator(d.user) else None,
                    "queue_url": mail.absolute("/review/"),
                })
                for d in batch
            ])
    return digests
