"""The writes of a conversation: start a thread, post, edit one's own
message, resolve and reopen a thread, and the thread a returned quarter's
comment starts. Each checks who acts (PermissionDenied), validates with Thai
messages and saves in one transaction; edits keep their earlier text in the
message's history (simple-history)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import workflow
from indicators.models import Indicator, QuarterResult
from notifications.models import Kind
from notifications.services import notify_all
from projects.models import Project, ProjectUpdate

from . import permissions
from .models import Mention, Message, Thread

TITLE_MAX_LENGTH = 200
# "@username" not inside a word or an e-mail address; Django's usernames
# allow letters, digits and @ . + - _ (a trailing full stop ends a sentence).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")


@dataclass
class Posted:
    """A saved message and the @names that mention nobody who may see it
    (left as plain text; the writer is told)."""

    message: Message
    not_mentioned: list[str] = field(default_factory=list)


def subject_url(thread: Thread) -> str:
    """The conversation page of the thread's quarter."""
    if thread.indicator_id:
        indicator = thread.indicator
        assert indicator is not None
        return reverse("conversations:indicator", args=[indicator.fiscal_year.year, indicator.code, thread.quarter])
    project = thread.project
    assert project is not None
    return reverse("conversations:project", args=[project.fiscal_year.year, project.code, thread.quarter])


def check_read(user: User | AnonymousUser, thread: Thread) -> None:
    if not permissions.can_read(user, thread.owner_id):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์ดูการสนทนานี้"))


def check_write(user: User | AnonymousUser, thread: Thread) -> None:
    if not permissions.can_write(user, thread.owner_id):
        raise PermissionDenied(_("คุณไม่มีสิทธิ์เขียนในการสนทนานี้"))


def start_thread(*, user: User, quarter: int, text: str, title: str = "", indicator: Indicator | None = None,
                 project: Project | None = None) -> Posted:
    """A new thread about an indicator's quarter or a project's quarter (exactly one), with its first message."""
    if (indicator is None) == (project is None):
        raise ValueError("a thread is about an indicator or a project, exactly one")
    thread = Thread(indicator=indicator, project=project, quarter=quarter, created_by=user)
    check_write(user, thread)
    thread.title = _clean_title(title)
    text = _clean_text(text)
    with transaction.atomic():
        workflow.record_change(thread, user, _("เริ่มการสนทนา"))
        thread.save()
        return _save_message(Message(thread=thread, author=user, text=text), user, _("เขียนข้อความ"))


def post_message(*, thread: Thread, user: User, text: str) -> Posted:
    check_write(user, thread)
    if thread.is_resolved:
        raise ValidationError({"text": _("การสนทนานี้ได้ข้อยุติแล้ว เปิดอีกครั้งก่อนเขียนข้อความ")}, code="resolved")
    text = _clean_text(text)
    with transaction.atomic():
        return _save_message(Message(thread=thread, author=user, text=text), user, _("เขียนข้อความ"))


def edit_message(*, message: Message, user: User, text: str) -> Posted:
    """Change one's own message; the earlier text stays in its history."""
    check_write(user, message.thread)
    if message.author_id != user.pk:
        raise PermissionDenied(_("แก้ไขได้เฉพาะข้อความของคุณเอง"))
    text = _clean_text(text)
    if text == message.text:
        return Posted(message)
    message.text = text
    message.edited_at = timezone.now()
    with transaction.atomic():
        return _save_message(message, user, _("แก้ไขข้อความ"))


def resolve(*, thread: Thread, user: User) -> Thread:
    check_write(user, thread)
    if thread.is_resolved:
        return thread
    thread.resolved_at = timezone.now()
    thread.resolved_by = user
    workflow.record_change(thread, user, _("ระบุว่าได้ข้อยุติ"))
    thread.save()
    return thread


def reopen(*, thread: Thread, user: User) -> Thread:
    check_write(user, thread)
    if not thread.is_resolved:
        return thread
    thread.resolved_at = None
    thread.resolved_by = None
    workflow.record_change(thread, user, _("เปิดการสนทนาอีกครั้ง"))
    thread.save()
    return thread


def start_from_return(result_or_update: QuarterResult | ProjectUpdate, user: User, comment: str) -> Posted:
    """The evaluator's return comment as the first message of a new thread
    on that quarter, so the agency can answer it there. Call it inside the
    return's transaction: a failed return leaves no thread."""
    quarter = result_or_update.quarter
    title = _("ส่งกลับแก้ไข ไตรมาสที่ %(q)s") % {"q": quarter}
    if isinstance(result_or_update, QuarterResult):
        return start_thread(user=user, quarter=quarter, text=comment, title=title,
                            indicator=result_or_update.indicator)
    return start_thread(user=user, quarter=quarter, text=comment, title=title, project=result_or_update.project)


# --- helpers ---------------------------------------------------------------
def _clean_title(title: str | None) -> str:
    title = (title or "").strip()
    if len(title) > TITLE_MAX_LENGTH:
        raise ValidationError({"title": _("หัวข้อยาวได้ไม่เกิน %(n)s ตัวอักษร") % {"n": TITLE_MAX_LENGTH}},
                              code="max_length")
    return title


def _clean_text(text: str | None) -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("กรุณาพิมพ์ข้อความ")}, code="required")
    if len(text) > settings.LONG_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("ข้อความยาวได้ไม่เกิน %(n)s ตัวอักษร") % {"n": f"{settings.LONG_TEXT_MAX_LENGTH:,}"}},
            code="max_length")
    return text


def mentioned_names(text: str) -> list[str]:
    """The @names in a text, each once, in order."""
    return list(dict.fromkeys(name.rstrip(".") for name in MENTION.findall(text) if name.rstrip(".")))


def _save_message(message: Message, user: User, reason: str) -> Posted:
    """Save the message, keep its mentions in step with its text, and notify
    the users it now mentions for the first time."""
    thread = message.thread
    workflow.record_change(message, user, reason)
    message.save()
    names = mentioned_names(message.text)
    candidates = {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}
    mentioned = [candidates[n] for n in names
                 if n in candidates and candidates[n].pk != user.pk and permissions.can_read(candidates[n], thread.owner_id)]
    not_mentioned = [n for n in names if n not in candidates or
                     (candidates[n].pk != user.pk and candidates[n] not in mentioned)]
    already = set(Mention.objects.filter(message=message).values_list("user_id", flat=True))
    Mention.objects.filter(message=message).exclude(user__in=mentioned).delete()
    new = [u for u in mentioned if u.pk not in already]
    Mention.objects.bulk_create([Mention(message=message, user=u) for u in new])
    if new:
        subject = thread.indicator if thread.indicator_id else thread.project
        assert subject is not None
        notify_all(
            new, Kind.MENTIONED,
            title=_("%(name)s กล่าวถึงคุณในการสนทนา %(code)s ไตรมาสที่ %(q)s") % {
                "name": user.get_full_name() or user.username, "code": subject.code, "q": thread.quarter},
            text=message.text[:500], url=f"{subject_url(thread)}#thread-{thread.pk}",
            indicator=thread.indicator, quarter=thread.quarter,
        )
    return Posted(message, not_mentioned)
