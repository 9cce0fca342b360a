"""The project's page at /projects/<year>/<code>/: its facts, activities on
a timeline, the plan against each quarter's update, the budget, the
narratives, the indicators it supports and its lineage across years."""

from django.db import transaction
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .. import selectors
from ..permissions import can_report_on_project, project_for


def update_url(project, quarter: int) -> str:
    """The quarter's update form (the entry feature's), by name when it is
    there, else by the path it lives at."""
    year = project.fiscal_year.year
    try:
        return reverse("projects:update", args=[year, project.code, quarter])
    except NoReverseMatch:
        return f"{project.get_absolute_url()}quarters/{quarter}/update/"


@transaction.non_atomic_requests  # reads only
def detail(request, year, code):
    project = project_for(request.user, year, code, queryset=selectors.page_queryset())
    page = selectors.project_page(project, timezone.localdate())
    may_report = can_report_on_project(request.user, project)
    return render(request, "projects/detail.html", {
        "page": page,
        "project": project,
        "may_edit": may_report,
        # Each quarter with its update form's address for those who report on it.
        "quarters": [(row, update_url(project, row.number) if may_report else None) for row in page.quarters],
        "sheet_url": f"{project.get_absolute_url()}sheet.pdf",
    })
