"""Who may see and change a project: the indicators' rules
(indicators/permissions.py) applied to the project's owner agency, so a
reporter sees and reports on their agencies' projects only."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from indicators import permissions
from indicators.permissions import AnyUser

from .models import Project


def visible_projects(user: AnyUser, queryset: QuerySet[Project] | None = None) -> QuerySet[Project]:
    queryset = Project.objects.all() if queryset is None else queryset
    agencies = permissions.visible_agencies(user)
    return queryset if agencies is None else queryset.filter(owner_id__in=agencies)


def can_view_project(user: AnyUser, project: Project) -> bool:
    agencies = permissions.visible_agencies(user)
    return agencies is None or project.owner_id in agencies


def can_report_on_project(user: AnyUser, project: Project) -> bool:
    """May enter the project's updates and evidence (whether the quarter is
    open is a separate rule, projects/workflow.py)."""
    if permissions.is_administrator(user):
        return True
    return permissions.has_role(user, permissions.REPORTER) and project.owner_id in permissions.agency_ids_of(user)


def can_review_project(user: AnyUser, project: Project) -> bool:
    return permissions.is_evaluator(user)


def project_for(user: AnyUser, year: int, code: str, *, queryset: QuerySet[Project] | None = None,
                may: Callable[[AnyUser, Project], bool] = can_view_project) -> Project:
    """The project at /projects/<year>/<code>/ if this user may use it: 404
    when there is none, 403 when it is another agency's."""
    if queryset is None:
        queryset = Project.objects.select_related("fiscal_year", "owner")
    project = get_object_or_404(queryset, fiscal_year__year=year, code=code)
    if not may(user, project):
        raise PermissionDenied
    return project
