"""The admin's project pages keep the projects' rules: activity weights
total 100, and the stored standing follows an edit at once."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from projects.models import Milestone, Project
from projects.progress import Standing

from .factories import FiscalYearFactory, MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("root", "root@example.org", "pass-1234-word"))
    return client


def change_data(project, weights, planned_finish=""):
    data = {
        "fiscal_year": project.fiscal_year_id, "code": project.code, "name": project.name,
        "owner": project.owner_id, "planned_finish": planned_finish, "planned_start": "",
        "milestones-TOTAL_FORMS": str(len(weights)), "milestones-INITIAL_FORMS": str(project.milestones.count()),
        "milestones-MIN_NUM_FORMS": "0", "milestones-MAX_NUM_FORMS": "1000",
    }
    for n, (milestone, weight) in enumerate(zip(project.milestones.order_by("order"), weights, strict=True)):
        data.update({f"milestones-{n}-id": milestone.pk, f"milestones-{n}-project": project.pk,
                     f"milestones-{n}-name": milestone.name, f"milestones-{n}-weight": weight,
                     f"milestones-{n}-order": milestone.order})
    return data


def test_weights_not_totalling_100_are_refused_in_the_admin(admin_client):
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2570))
    MilestoneFactory(project=project, weight=D(50), order=1)
    MilestoneFactory(project=project, weight=D(50), order=2)
    response = admin_client.post(f"/admin/projects/project/{project.pk}/change/", change_data(project, ["50", "40"]))
    assert response.status_code == 200 and "ต้องเท่ากับ 100" in response.content.decode()
    assert sorted(Milestone.objects.values_list("weight", flat=True)) == [D(50), D(50)]


def test_an_admins_edit_refreshes_the_stored_standing(admin_client):
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2570))
    MilestoneFactory(project=project, weight=D(100), order=1)
    past = timezone.localdate() - datetime.timedelta(days=10)
    date = f"{past.day:02d}/{past.month:02d}/{past.year + 543}"
    response = admin_client.post(f"/admin/projects/project/{project.pk}/change/",
                                 change_data(project, ["100"], planned_finish=date))
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(pk=project.pk)
    assert project.standing == Standing.OVERDUE and project.standing_on == timezone.localdate()
