"""Who is told: loaded with their roles and agencies so that
indicators.permissions answers for them without a query each, and every
notice is checked against the same rule as the pages
(permissions.can_view_indicator)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from indicators import permissions
from indicators.models import Agency, AgencyApprover, ApproverStandIn


def loaded(users: QuerySet[User]) -> list[User]:
    """The users with the role and agency caches permissions.py keeps on a
    user filled from two prefetch queries (not two queries per user)."""
    result = list(users.filter(is_active=True).distinct().prefetch_related("groups", "agencies").order_by("pk"))
    for user in result:
        roles = frozenset(group.name for group in user.groups.all())
        if user.is_superuser:
            roles |= {permissions.ADMINISTRATOR}
        # The caches permissions.roles_of and agency_ids_of read first.
        setattr(user, "_kpi_roles", roles)
        setattr(user, "_kpi_agency_ids", frozenset(agency.pk for agency in user.agencies.all()))
    return result


def reporters_by_agency(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    """Each agency's reporters (members in the reporter group)."""
    ids = set(agency_ids)
    users = loaded(User.objects.filter(groups__name=permissions.REPORTER, agencies__in=ids))
    by_agency: dict[int, list[User]] = defaultdict(list)
    for user in users:
        for agency_id in permissions.agency_ids_of(user) & ids:
            by_agency[agency_id].append(user)
    return by_agency


def managers_by_agency(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    """An agency's managers: users of the manager group who are its members."""
    ids = set(agency_ids)
    users = loaded(User.objects.filter(groups__name=permissions.MANAGER, agencies__in=ids))
    by_agency: dict[int, list[User]] = defaultdict(list)
    for user in users:
        for agency_id in permissions.agency_ids_of(user) & ids:
            by_agency[agency_id].append(user)
    return by_agency


def evaluators() -> list[User]:
    return loaded(User.objects.filter(groups__name=permissions.EVALUATOR))


def agency_label(agency: Agency) -> str:
    return agency.name


def approvers_of(agency_id: int, day: datetime.date | None = None) -> list[User]:
    """Who signs off the agency's quarters on `day` (today): its approvers
    and those standing in for one of them within their dates."""
    day = day or timezone.localdate()
    approvers = AgencyApprover.objects.filter(agency_id=agency_id).values("user_id")
    stand_ins = ApproverStandIn.objects.filter(approver__in=approvers, starts_on__lte=day,
                                               ends_on__gte=day).values("stand_in_id")
    return loaded(User.objects.filter(Q(pk__in=approvers) | Q(pk__in=stand_ins)))
