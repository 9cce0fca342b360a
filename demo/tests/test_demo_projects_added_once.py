"""load_demo adds the demo's projects once: without --city only the seed
indicator's own project; a demo loaded before projects existed gets them at
its next start, and never a second time."""

import io

import pytest
from django.core.management import call_command

from demo.projects import SEED_PROJECT_CODE
from projects.models import Milestone, Project, ProjectUpdate

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", quiet_logins=True, stdout=io.StringIO())


def test_without_the_city_only_the_seed_project_and_only_once():
    load_demo()
    assert list(Project.objects.values_list("fiscal_year__year", "code")) == [(2563, SEED_PROJECT_CODE)]
    project = Project.objects.get()
    assert project.indicators.get().code == "2100-1037"
    assert project.milestones.count() == 4 and project.updates.count() == 4
    load_demo()
    assert Project.objects.count() == 1 and Milestone.objects.count() == 4 and ProjectUpdate.objects.count() == 4


def test_a_demo_loaded_before_projects_gets_them_at_its_next_start():
    load_demo()
    Project.objects.all().delete()  # as a demo database from before the projects app
    out = io.StringIO()
    call_command("load_demo", quiet_logins=True, stdout=out)
    assert "added the demo projects (1)" in out.getvalue()
    assert Project.objects.filter(code=SEED_PROJECT_CODE).count() == 1
    # Once a project is there (the seed's, or one someone typed), nothing more is added.
    load_demo()
    assert Project.objects.count() == 1
