"""Telling people: `notify` is the one way in. It stores the in-app notice
and, by the recipient's preference for its kind, mails it when the
transaction commits (immediate), keeps it for the daily digest, or drops it
(off; never for mandatory kinds). Users without an e-mail address get the
in-app notice only. The Excel import job (and any later job) calls
`notify(user, Kind.IMPORT_FINISHED, title=..., url=...)` when it ends."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser, User
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from indicators.models import Indicator

from . import mail
from .models import BUILT_IN_DEFAULTS, MANDATORY, DefaultPreference, Delivery, Kind, Notification, Preference

UNREAD_CACHE_SECONDS = 60


def notify(user: User, kind: str, *, title: str, text: str = "", url: str = "",
           indicator: Indicator | None = None, quarter: int | None = None) -> Notification | None:
    """Tell one user; returns the stored notice, or None when they turned
    this kind off."""
    notices = notify_all([user], kind, title=title, text=text, url=url, indicator=indicator, quarter=quarter)
    return notices[0] if notices else None


def notify_all(users: Iterable[User], kind: str, *, title: str, text: str = "", url: str = "",
               indicator: Indicator | None = None, quarter: int | None = None) -> list[Notification]:
    """The same notice to several users (three queries whatever their number)."""
    return deliver([(user, Notification(kind=kind, title=title[:300], text=text, url=url, indicator=indicator,
                                        quarter=quarter)) for user in users])


def deliver(pairs: Sequence[tuple[User, Notification]], *, mail_now: bool = False) -> list[Notification]:
    """Store each (recipient, unsaved notice) by its recipient's preference
    and mail the immediate ones once the transaction commits, or at once
    with `mail_now` (the reminders: a failing mail server then rolls their
    batch back, to be sent by the next run). Notices may differ in kind and
    text (the reminders' are per user)."""
    if not pairs:
        return []
    chosen = deliveries({(user.pk, notice.kind) for user, notice in pairs})
    kept: list[Notification] = []
    to_mail: list[tuple[User, Notification]] = []
    for user, notice in pairs:
        delivery = chosen[(user.pk, notice.kind)]
        if delivery == Delivery.OFF:
            continue
        notice.recipient = user
        has_mail = bool(user.email)
        notice.in_digest = has_mail and delivery == Delivery.DIGEST
        if has_mail and delivery == Delivery.IMMEDIATE:
            notice.mailed_at = timezone.now()
            to_mail.append((user, notice))
        kept.append(notice)
    Notification.objects.bulk_create(kept)
    recipients = {notice.recipient_id for notice in kept}
    transaction.on_commit(lambda: forget_unread(recipients))
    if to_mail and mail_now:
        mail.send([mail.notice_message(user, notice) for user, notice in to_mail])
    elif to_mail:
        # robust: a mail server that fails must not fail the change itself
        # (the error is logged; the in-app notice is there).
        transaction.on_commit(
            lambda: mail.send([mail.notice_message(user, notice) for user, notice in to_mail]), robust=True
        )
    return kept


def deliveries(wanted: set[tuple[int, str]]) -> dict[tuple[int, str], str]:
    """How each (user id, kind) is to be told: the user's own choice, else
    the administrators' default, else the built-in one; mandatory kinds are
    never off. Two queries."""
    user_ids = {user_id for user_id, _kind in wanted}
    kinds = {kind for _user_id, kind in wanted}
    own = {
        (p.user_id, p.kind): p.delivery
        for p in Preference.objects.filter(user_id__in=user_ids, kind__in=kinds)
    }
    defaults = default_deliveries()
    chosen = {}
    for key in wanted:
        delivery = own.get(key) or defaults[key[1]]
        if key[1] in MANDATORY and delivery == Delivery.OFF:
            delivery = Delivery.IMMEDIATE
        chosen[key] = delivery
    return chosen


def default_deliveries() -> dict[str, str]:
    stored = dict(DefaultPreference.objects.values_list("kind", "delivery"))
    return {kind: stored.get(kind) or BUILT_IN_DEFAULTS.get(Kind(kind), Delivery.IMMEDIATE) for kind in Kind.values}


def preferences_of(user: User) -> dict[str, str]:
    """Every kind with how this user is told of it now."""
    chosen = deliveries({(user.pk, kind) for kind in Kind.values})
    return {kind: chosen[(user.pk, kind)] for kind in Kind.values}


def set_preferences(user: User, choices: dict[str, str]) -> None:
    """Store the user's choice per kind; mandatory kinds cannot be off."""
    with transaction.atomic():
        for kind, delivery in choices.items():
            if kind in MANDATORY and delivery == Delivery.OFF:
                delivery = Delivery.IMMEDIATE
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


# --- reading -------------------------------------------------------------------

def notifications_of(user: AbstractBaseUser) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk)


def _unread_key(user_id: int) -> str:
    return f"notifications:unread:{user_id}"


def unread_count(user: AbstractBaseUser) -> int:
    """The bell's number, from the cache: counted when the user signs in
    (prime_unread) and again after each change to their notices, so pages
    run no query for it. With a per-process cache (the default locmem) an
    app server other than the one that saw the change is up to
    UNREAD_CACHE_SECONDS behind; a shared cache (CACHE_URL) is exact."""
    key = _unread_key(int(user.pk))
    count = cache.get(key)
    if count is None:
        count = prime_unread(user)
    return int(count)


def prime_unread(user: AbstractBaseUser, **kwargs: object) -> int:
    """Counts and caches the user's unread notices (also on user_logged_in)."""
    count = notifications_of(user).filter(read_at__isnull=True).count()
    cache.set(_unread_key(int(user.pk)), count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread(user_ids: Iterable[int]) -> None:
    cache.delete_many([_unread_key(user_id) for user_id in user_ids])


def mark_read(user: AbstractBaseUser, ids: Iterable[int] | None = None) -> int:
    """Marks the user's notices read (all when ids is None); only their own."""
    unread = notifications_of(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    count = unread.update(read_at=timezone.now())
    user_id = int(user.pk)
    transaction.on_commit(lambda: forget_unread([user_id]))
    return count
