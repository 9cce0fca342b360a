"""/api/v1/projects/: a year's projects, read-only, as the indicators are
(api/views.py): anonymous clients get the public site's (published years,
accepted updates only, public/projects.py); a token gets what its owner's
pages show (projects.permissions.visible_projects), every update but the
unstarted ones, with its status. Never the responsible person, comments,
score reasons or evidence. Filtered by year, agency and search (q); a value
that names nothing selects nothing."""

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, mixins

from indicators import permissions
from indicators.models import Indicator
from projects import figures
from projects.models import Project, ProjectUpdate
from projects.permissions import visible_projects
from public import projects as selectors

from . import schema, serializers
from .views import NUL_MESSAGE, PAGING, WHOLE_NUMBER, ApiView, chosen_year, years_for

FILTERS = ("year", "agency", "q")
STAFF_STATUSES = [s for s in ProjectUpdate.Status.values if s != ProjectUpdate.Status.NOT_STARTED]


def projects_for(user: permissions.AnyUser) -> QuerySet[Project]:
    return visible_projects(user) if user.is_authenticated else selectors.public_projects()


def counted_for(user: permissions.AnyUser) -> tuple[str, ...]:
    return figures.REPORTED if user.is_authenticated else figures.PUBLIC


def shown_for(user: permissions.AnyUser) -> list[str]:
    return STAFF_STATUSES if user.is_authenticated else list(figures.PUBLIC)


def project_version(queryset: QuerySet[Project]) -> str:
    """These projects' data version: their number, highest id, sheet
    versions and their updates' latest change, in one query."""
    from django.db.models import Count, Max, Sum

    found = queryset.order_by().aggregate(n=Count("id", distinct=True), last=Max("id"),
                                          versions=Sum("sheet_version"), changed=Max("updates__updated_at"))
    return f"{found['n']}.{found['last']}.{found['versions']}.{found['changed']}"


def _url(project: Project, year: int) -> str:
    return reverse("api:project-detail", args=[year, project.code])


def filter_parameters() -> list[OpenApiParameter]:
    nothing = " One that names none (or none the caller may see) selects nothing: an empty list."
    return [
        OpenApiParameter("year", int, description="Fiscal year (B.E.); default: the latest the caller may see."
                                                  + nothing),
        OpenApiParameter("q", str, pattern=schema.NO_NUL, description="Search: part of the code or of the name."),
        OpenApiParameter("agency", str, pattern=schema.NO_NUL, description="Agency code (see /agencies/)." + nothing),
    ]


@schema.documented("projects", "projects_list", "Projects of a fiscal year, filtered by agency and search",
                   serializers.ProjectSerializer, paged=True, parameters=filter_parameters())
class ProjectList(mixins.ListModelMixin, ApiView):
    serializer_class = serializers.ProjectSerializer
    parameters = (*FILTERS, *PAGING)

    def get(self, request):
        query = self.query()
        raw_year = query.get("year")
        if raw_year is not None and not WHOLE_NUMBER.fullmatch(raw_year):
            raise exceptions.ValidationError({"year": [str(NUL_MESSAGE) if "\x00" in raw_year else
                                                       "A valid integer is required."]})
        year = chosen_year(query, years_for(request.user))
        queryset = selectors.searched(projects_for(request.user).filter(fiscal_year__year=year),
                                      query.get("q", ""), query.get("agency", ""))

        def build():
            page = self.paginate_queryset(queryset.select_related("owner", "fiscal_year").order_by("code"))
            loaded = list(page or [])
            day = figures.figures_day(loaded[0].fiscal_year.ends_on, None, timezone.localdate()) if loaded else None
            rows = {row["id"]: (row, standing) for row, standing in figures.project_standings(
                Project.objects.filter(pk__in=[p.pk for p in loaded]), day, statuses=counted_for(request.user))
            } if loaded else {}
            records = []
            for project in loaded:
                row, standing = rows[project.pk]
                records.append({
                    "year": year, "code": project.code, "name": project.name, "agency_code": project.owner.code,
                    "agency_name": project.owner.name, "budget_allocated": project.budget_allocated,
                    "planned_start": project.planned_start, "planned_finish": project.planned_finish,
                    "progress": row["latest_progress"], "disbursed": row["latest_disbursed"],
                    "disbursed_percent": figures.progress.budget_used_percent(row["latest_disbursed"],
                                                                              project.budget_allocated),
                    "standing": standing.value, "url": _url(project, year),
                })
            return self.get_paginated_response(serializers.ProjectSerializer(records, many=True).data).data

        return self.versioned("projects", project_version(projects_for(request.user).filter(fiscal_year__year=year)),
                              build)


@schema.documented("projects", "projects_retrieve", "One project: its facts, activities and updates",
                   serializers.ProjectDetailSerializer, errors={404: schema.missing("such project in that year")},
                   parameters=[OpenApiParameter("year", int, OpenApiParameter.PATH, description="Fiscal year (B.E.)"),
                               OpenApiParameter("code", str, OpenApiParameter.PATH, pattern=schema.NO_NUL,
                                                description="Project code")])
class ProjectDetail(ApiView):
    serializer_class = serializers.ProjectDetailSerializer
    parameters = ()

    def get(self, request, year, code):
        user = request.user
        mine = projects_for(user).filter(fiscal_year__year=year, code=code)
        if not mine.exists():
            raise exceptions.NotFound()
        indicators = (Indicator.objects.filter(pk__in=permissions.visible_indicators(user).values("pk"))
                      if user.is_authenticated else Indicator.objects.public())

        def build():
            project = selectors.loaded_project(mine, shown_for(user), projects_for(user), indicators)
            if project is None:
                raise exceptions.NotFound()
            fiscal_year = project.fiscal_year
            page = selectors.project_page(project, figures.figures_day(fiscal_year.ends_on, None, timezone.localdate()),
                                          counted_for(user))
            record: dict[str, Any] = {
                "year": year, "code": project.code, "name": project.name, "agency_code": project.owner.code,
                "agency_name": project.owner.name, "budget_allocated": project.budget_allocated,
                "planned_start": project.planned_start, "planned_finish": project.planned_finish,
                "progress": page.latest.progress if page.latest else None, "disbursed": page.disbursed,
                "disbursed_percent": page.disbursed_percent, "standing": page.standing.value,
                "url": _url(project, year),
                "rationale": project.rationale, "objectives": project.objectives,
                "target_group": project.target_group, "budget_source": project.budget_source,
                "actual_start": project.actual_start, "actual_finish": project.actual_finish,
                "districts": [d.code for d in page.districts], "indicators": [i.code for i in page.indicators],
                "continues_from": page.continues_from.code if page.continues_from else None,
                "milestones": [{"name": m.milestone.name, "weight": m.milestone.weight,
                                "planned_start": m.milestone.planned_start,
                                "planned_finish": m.milestone.planned_finish, "percent": m.percent,
                                "overdue": m.overdue} for m in page.milestones],
                "updates": [{"quarter": u.quarter, "status": u.status, "progress": u.progress,
                             "disbursed": u.disbursed, "planned_disbursement": u.planned_disbursement,
                             "narrative": u.narrative, "problems": u.problems, "delay_reason": u.delay_reason,
                             "score": u.score} for u in page.updates],
            }
            return serializers.ProjectDetailSerializer(record).data

        return self.versioned("project", project_version(mine), build)
