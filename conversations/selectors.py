"""What a page shows of a quarter's conversation: its threads with their
messages and authors, in two queries whatever their number."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from indicators.models import Indicator
from projects.models import Project

from .models import Mention, Message, Thread


def _threads(queryset: QuerySet[Thread], open_only: bool) -> list[Thread]:
    if open_only:
        queryset = queryset.filter(resolved_at__isnull=True)
    messages = Message.objects.select_related("author").order_by("created_at", "id")
    return list(queryset.select_related("created_by", "resolved_by")
                .prefetch_related(Prefetch("messages", queryset=messages)).order_by("created_at", "id"))


def indicator_threads(indicator: Indicator, quarter: int, *, open_only: bool = False) -> list[Thread]:
    return _threads(Thread.objects.filter(indicator=indicator, quarter=quarter), open_only)


def project_threads(project: Project, quarter: int, *, open_only: bool = False) -> list[Thread]:
    return _threads(Thread.objects.filter(project=project, quarter=quarter), open_only)


def earlier_versions(message: Message) -> QuerySet:
    """A message's history rows, newest first (the current text is the first)."""
    return message.history.select_related("history_user").order_by("-history_date", "-history_id")


def open_mentions_count(user: User) -> int:
    """How many messages in unresolved threads mention this user (the "mentioned" count)."""
    return Mention.objects.filter(user=user, message__thread__resolved_at__isnull=True).count()
