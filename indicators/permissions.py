"""Who may see and change what. The one place these rules live: views,
forms, downloads, exports and querysets all ask here.

Roles are Django groups. A reporter works for one or more agencies
(Agency.members) and sees and changes only their indicators; evaluators and
managers read everything; administrators (group or superuser) manage all."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Agency, AgencyApprover, ApproverStandIn, Indicator

if TYPE_CHECKING:
    from django.contrib.auth.models import Permission

# Whoever makes a request, signed in or not.
AnyUser = User | AnonymousUser

REPORTER = "reporter"
EVALUATOR = "evaluator"
MANAGER = "manager"
ADMINISTRATOR = "administrator"
# Given with an AgencyApprover or ApproverStandIn row (kept in step by
# indicators/signals.py), so that only approvers pay for the query that
# finds their agencies.
APPROVER = "approver"
ROLES = (REPORTER, EVALUATOR, MANAGER, ADMINISTRATOR, APPROVER)


def roles_of(user: AnyUser) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_kpi_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMINISTRATOR}
        setattr(user, "_kpi_roles", cached)
    return cached


def has_role(user: AnyUser, role: str) -> bool:
    return role in roles_of(user)


def is_administrator(user: AnyUser) -> bool:
    return has_role(user, ADMINISTRATOR)


def is_evaluator(user: AnyUser) -> bool:
    return has_role(user, EVALUATOR)


def reads_everything(user: AnyUser) -> bool:
    return bool(roles_of(user) & {EVALUATOR, MANAGER, ADMINISTRATOR})


def agency_ids_of(user: AnyUser) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_kpi_agency_ids", None)
    if cached is None:
        cached = frozenset(user.agencies.values_list("id", flat=True))
        setattr(user, "_kpi_agency_ids", cached)
    return cached


def approver_agency_ids(user: AnyUser, day: datetime.date | None = None) -> frozenset[int]:
    """The agencies whose submitted quarters this user signs off on `day`
    (today by default): as their approver, or as the stand-in of one of
    their approvers for a range that includes the day."""
    if not has_role(user, APPROVER):
        return frozenset()
    day = day or timezone.localdate()
    cache_name = f"_kpi_approver_agency_ids_{day.isoformat()}"
    cached = getattr(user, cache_name, None)
    if cached is None:
        standing_in_for = ApproverStandIn.objects.filter(stand_in_id=user.pk, starts_on__lte=day, ends_on__gte=day)
        cached = frozenset(AgencyApprover.objects.filter(
            Q(user_id=user.pk) | Q(user__in=standing_in_for.values("approver"))).values_list("agency_id", flat=True))
        setattr(user, cache_name, cached)
    return cached


def is_approver(user: AnyUser) -> bool:
    return bool(approver_agency_ids(user))


def can_approve(user: AnyUser, agency_id: int) -> bool:
    """May sign off (approve or return) this agency's submitted quarters today."""
    return agency_id in approver_agency_ids(user)


def can_view_agency(user: AnyUser, agency: Agency) -> bool:
    """May read everything of this agency (its book of sheets, its
    scorecard): the agencies whose indicators the user sees, so membership
    without the reporter role is not enough."""
    agencies = visible_agencies(user)
    return agencies is None or agency.id in agencies


def can_view_ranking(user: AnyUser) -> bool:
    """The ranking of agencies: managers, evaluators and administrators."""
    return reads_everything(user)


def can_view_scorecard(user: AnyUser, agency: Agency) -> bool:
    """An agency's scorecard: as for everything of the agency."""
    return can_view_agency(user, agency)


def agency_for(user: AnyUser, code: str) -> Agency:
    """The agency with this code if this user may read its scorecard: 404
    when there is none, 403 when it is another agency's (a reporter sees
    only their own)."""
    agency = get_object_or_404(Agency.objects.select_related("district_group"), code=code)
    if not can_view_scorecard(user, agency):
        raise PermissionDenied
    return agency


def visible_indicators(user: AnyUser, queryset: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
    """The indicators this user may see, as a queryset filter."""
    queryset = Indicator.objects.all() if queryset is None else queryset
    agencies = visible_agencies(user)
    return queryset if agencies is None else queryset.filter(owner_id__in=agencies)


def visible_agencies(user: AnyUser) -> frozenset[int] | None:
    """The agencies whose indicators this user may see; None: every agency."""
    if reads_everything(user):
        return None
    agencies = agency_ids_of(user) if has_role(user, REPORTER) else frozenset()
    # An approver reads the agencies they sign off (and nothing they may not change).
    return agencies | approver_agency_ids(user)


def can_view_indicator(user: AnyUser, indicator: Indicator) -> bool:
    if reads_everything(user):
        return True
    if has_role(user, REPORTER) and indicator.owner_id in agency_ids_of(user):
        return True
    return indicator.owner_id in approver_agency_ids(user)


def can_review(user: AnyUser, indicator: Indicator) -> bool:
    """May accept, score, return or reopen this indicator's quarters."""
    return is_evaluator(user)


def can_report_on(user: AnyUser, indicator: Indicator) -> bool:
    """May enter results, narratives and evidence for this indicator
    (whether the quarter is open is a separate rule)."""
    if is_administrator(user):
        return True
    return has_role(user, REPORTER) and indicator.owner_id in agency_ids_of(user)


def reportable_indicators(user: AnyUser, queryset: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The indicators this user may report on (can_report_on as a queryset filter)."""
    if is_administrator(user):
        return queryset
    if has_role(user, REPORTER):
        return queryset.filter(owner_id__in=agency_ids_of(user))
    return queryset.none()


def indicator_for(user: AnyUser, year: int, code: str, *, queryset: QuerySet[Indicator] | None = None,
                  may: Callable[[Any, Indicator], bool] = can_view_indicator) -> Indicator:
    """The indicator at /indicators/<year>/<code>/ if this user may use it
    (`may`: can_view_indicator, can_report_on or can_review): 404 when there
    is none, 403 when it is someone else's. Every view taking <year>/<code>
    starts with it, so a guessed URL is refused the same way everywhere.
    `queryset` chooses what is loaded alongside."""
    if queryset is None:
        queryset = Indicator.objects.select_related("fiscal_year", "owner")
    indicator = get_object_or_404(queryset, fiscal_year__year=year, code=code)
    if not may(user, indicator):
        raise PermissionDenied
    return indicator


# Model permissions each group carries (what Django's admin and perms checks
# see). They are coarse; the agency scoping above is what every view applies.
_VIEW_ALL = ["indicators.view_indicator", "indicators.view_quarterresult", "indicators.view_quarter",
             "indicators.view_fiscalyear", "indicators.view_agency", "reports.view_narrative",
             "reports.view_evidence"]
ROLE_PERMISSIONS = {
    REPORTER: _VIEW_ALL + ["indicators.change_quarterresult", "reports.add_narrative", "reports.change_narrative",
                           "reports.add_evidence", "reports.change_evidence"],
    EVALUATOR: _VIEW_ALL + ["indicators.change_quarterresult"],
    MANAGER: _VIEW_ALL,
    APPROVER: [],  # what an approver may do is scoped by agency in the views, not by model permissions
    ADMINISTRATOR: ["indicators.*", "reports.*", "auth.*"],
}


def _permissions_for(names: list[str]) -> QuerySet[Permission]:
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    query = Q(pk__in=[])
    for name in names:
        app_label, codename = name.split(".")
        if codename == "*":
            query |= Q(content_type__app_label=app_label)
        else:
            query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def ensure_role_groups() -> None:
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(ROLE_PERMISSIONS[role]))
