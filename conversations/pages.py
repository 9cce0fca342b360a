"""The context of the conversation partial (conversations/_threads.html) for
the pages that show it: this app's pages, the evaluator's review pages and
the reporter's report form. Two queries for the threads, whatever their
number; the permission check reads the roles the page already loaded."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from indicators.models import Indicator
from indicators.permissions import AnyUser
from projects.models import Project

from . import permissions, selectors


def indicator_conversation(user: AnyUser, indicator: Indicator, quarter: int, *, next_url: str,
                           open_only: bool = False) -> dict[str, Any]:
    args = [indicator.fiscal_year.year, indicator.code, quarter]
    return {
        "threads": selectors.indicator_threads(indicator, quarter, open_only=open_only),
        "conversation": {
            "can_write": permissions.can_write(user, indicator.owner_id),
            "start_url": reverse("conversations:start_indicator", args=args),
            "page_url": reverse("conversations:indicator", args=args),
            "next": next_url,
            "open_only": open_only,
        },
    }


def project_conversation(user: AnyUser, project: Project, quarter: int, *, next_url: str,
                         open_only: bool = False) -> dict[str, Any]:
    args = [project.fiscal_year.year, project.code, quarter]
    return {
        "threads": selectors.project_threads(project, quarter, open_only=open_only),
        "conversation": {
            "can_write": permissions.can_write(user, project.owner_id),
            "start_url": reverse("conversations:start_project", args=args),
            "page_url": reverse("conversations:project", args=args),
            "next": next_url,
            "open_only": open_only,
        },
    }
