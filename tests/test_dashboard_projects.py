"""The dashboard's and the agency scorecard's project figures: on plan,
behind (behind plan or overdue), budget disbursed; a reporter's dashboard
counts their agency's projects only; the scorecard PDF says the same."""

import datetime
from decimal import Decimal

import pytest

from projects.models import ProjectUpdate

from .factories import AgencyFactory, FiscalYearFactory, ProjectFactory, ProjectUpdateFactory

D = Decimal
S = ProjectUpdate.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    year = FiscalYearFactory(year=2569)
    mine, other = AgencyFactory(code="2200", name="สำนักการแพทย์"), AgencyFactory(code="2300", name="สำนักอนามัย")
    for agency, progress in ((mine, "100"), (mine, "1"), (other, "1")):
        project = ProjectFactory(fiscal_year=year, owner=agency, budget_allocated=D("1000"),
                                 planned_start=datetime.date(2025, 10, 1), planned_finish=datetime.date(2026, 1, 31),
                                 actual_finish=datetime.date(2026, 1, 15) if progress == "100" else None)
        ProjectUpdateFactory(project=project, quarter=1, status=S.ACCEPTED, progress=D(progress), disbursed=D("250"))
    return mine, other


def test_dashboard_counts_the_visible_agencies_projects(client, make_user, agencies):
    mine, other = agencies
    client.force_login(make_user("manager"))
    context = client.get("/reports/dashboard/?year=2569&quarter=4").context
    total = context["project_total"]
    assert (total.count, total.by_standing["finished"], total.behind) == (3, 1, 2)
    assert total.disbursed_percent == D("25.00")
    client.force_login(make_user("reporter", [mine]))
    response = client.get("/reports/dashboard/?year=2569&quarter=4")
    assert [row.label for row in response.context["project_rows"]] == ["สำนักการแพทย์"]
    assert response.context["project_total"].count == 2
    assert "สำนักอนามัย" not in response.content.decode().split('id="projects"')[1]


def test_scorecard_shows_the_agencys_projects(client, make_user, agencies):
    mine, other = agencies
    client.force_login(make_user("manager"))
    response = client.get("/scorecards/2569/2200/")
    card = response.context["card"]
    assert (card.projects.count, card.projects.behind, card.projects.disbursed_percent) == (2, 1, D("25.00"))
    html = response.content.decode()
    assert 'data-projects="behind">ล่าช้า/เกินกำหนด 1<' in html
    pdf = client.get("/scorecards/2569/2200/scorecard.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
