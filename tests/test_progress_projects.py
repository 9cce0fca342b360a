"""The reporting-progress page counts the quarter's project updates per
agency (due / submitted / accepted, projects/due.py) beside the indicators,
with a total; an agency with projects and no indicator has its row; the
export has the project columns; the remind button reminds of projects too;
a reporter sees only their agency's projects; fixed queries at two sizes."""

import csv
import datetime
import io
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import Quarter
from indicators.selectors.browse import visible
from projects.permissions import visible_projects
from reports import progress

from .factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    QuarterResultFactory,
)
from .helpers import page_text

pytestmark = pytest.mark.django_db

YEAR = 2570
URL = f"/reports/progress/?year={YEAR}&quarter=1"


@pytest.fixture
def city():
    today = timezone.localdate()
    year = FiscalYearFactory(year=YEAR)
    Quarter.objects.create(fiscal_year=year, number=1, opens_on=today - datetime.timedelta(days=3),
                           closes_on=today + datetime.timedelta(days=4))
    works = AgencyFactory(name="สำนักการโยธา", code="1100")
    planning = AgencyFactory(name="สำนักการวางผังและพัฒนาเมือง", code="2200")
    # Works: two indicators (one submitted) and five projects: none yet, a draft, a returned (due),
    # a submitted and an accepted; an accepted quarter 2 does not make quarter 1 done.
    QuarterResultFactory(indicator=IndicatorFactory(fiscal_year=year, owner=works, code="1100-1001"), quarter=1,
                         status="submitted", submitted_at=timezone.now())
    IndicatorFactory(fiscal_year=year, owner=works, code="1100-1002")
    none_yet = ProjectFactory(fiscal_year=year, owner=works, code="1100-1", name="โครงการถนนสวย")
    ProjectUpdateFactory(project=none_yet, quarter=2, status="accepted")
    for n, status in enumerate(["draft", "returned", "submitted", "accepted"], start=2):
        ProjectUpdateFactory(project=ProjectFactory(fiscal_year=year, owner=works, code=f"1100-{n}"), quarter=1,
                             status=status)
    # Planning: projects only (no indicator), one due.
    ProjectFactory(fiscal_year=year, owner=planning, code="2200-1", name="โครงการผังเมืองรวม")
    # Another year's project never counts.
    ProjectFactory(fiscal_year=FiscalYearFactory(year=YEAR - 1), owner=works, code="1100-99")
    return {"year": year, "works": works, "planning": planning}


def row_of(data, agency):
    return next(r for r in data.rows if r.key == agency.pk)


def test_project_updates_due_submitted_and_accepted_per_agency_with_a_total(city, make_user):
    manager = make_user("manager")
    data = progress.progress(visible(manager), year=YEAR, quarter=1, projects=visible_projects(manager))
    works, planning = row_of(data, city["works"]), row_of(data, city["planning"])
    assert works.projects == {"due": 3, "submitted": 1, "accepted": 1} and works.projects_total == 5
    assert works.total == 2 and works.submitted == 1  # the indicators' figures unchanged
    assert planning.projects == {"due": 1, "submitted": 0, "accepted": 0} and planning.total == 0
    assert data.total.projects == {"due": 4, "submitted": 1, "accepted": 1} and data.total.projects_total == 6
    # Without projects nothing is counted (the indicator-only callers).
    plain = progress.progress(visible(manager), year=YEAR, quarter=1)
    assert plain.total.projects_total == 0 and [r.key for r in plain.rows] == [city["works"].pk]


def test_by_district_group_the_same_projects_regrouped(city, make_user):
    manager = make_user("manager")
    data = progress.progress(visible(manager), year=YEAR, quarter=1, by="group", projects=visible_projects(manager))
    assert data.total.projects == {"due": 4, "submitted": 1, "accepted": 1}
    assert sum(r.projects_total for r in data.rows) == 6


def test_the_page_shows_the_project_columns_and_the_total(client, city, make_user):
    client.force_login(make_user("manager"))
    response = client.get(URL)
    text = page_text(response)
    assert "รายงานความก้าวหน้าโครงการ ส่งการเตือน ทั้งหมด ค้างรายงาน ส่งแล้ว รอตรวจ ตรวจรับแล้ว" in text
    # indicators, on time, late, returned, missing, %, evaluated, not reported; projects, due, submitted, accepted
    assert "สำนักการโยธา 2 1 0 0 1 50.0 0 1 5 3 1 1" in text
    assert "สำนักการวางผังและพัฒนาเมือง 0 0 0 0 0 0 0 0 1 1 0 0" in text
    footer = response.content.decode().split("<tfoot>")[1]
    assert [re.search(rf'data-count="{key}">(\d+)<', footer).group(1)
            for key in ("projects", "projects_due", "projects_submitted", "projects_accepted")] == ["6", "4", "1", "1"]


def test_sorted_by_projects_due(client, city, make_user):
    client.force_login(make_user("manager"))
    response = client.get(URL + "&sort=projects_due&dir=desc")
    assert [r.key for r in response.context["data"].rows] == [city["works"].pk, city["planning"].pk]


def test_a_reporter_sees_only_their_agencys_projects(client, city, make_user):
    client.force_login(make_user("reporter", [city["planning"]]))
    response = client.get(URL)
    data = response.context["data"]
    assert [r.key for r in data.rows] == [city["planning"].pk]
    assert data.total.projects_total == 1
    assert "สำนักการโยธา" not in page_text(response)
    exported = client.get(URL.replace("/?", "/export.csv?")).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(exported)))
    assert len(lines) == 3 and lines[1][0] == "สำนักการวางผังและพัฒนาเมือง" and lines[2][-4:] == ["1", "1", "0", "0"]


def test_the_export_has_the_project_columns(client, city, make_user):
    client.force_login(make_user("evaluator"))
    exported = client.get(URL.replace("/?", "/export.csv?")).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(exported)))
    assert lines[0][-4:] == ["จำนวนโครงการ", "โครงการค้างรายงาน", "โครงการส่งแล้ว รอตรวจ", "โครงการตรวจรับแล้ว"]
    by_name = {line[0]: line for line in lines[1:]}
    assert by_name["สำนักการโยธา"][-4:] == ["5", "3", "1", "1"]
    assert by_name["รวมทั้งหมด"][-4:] == ["6", "4", "1", "1"]


def remind_cell(response, agency):
    row = re.search(rf'<tr data-agency="{agency.code}">(.*?)</tr>', response.content.decode(), re.S).group(1)
    return page_text(re.search(r'<td class="remind">(.*?)</td>', row, re.S).group(1)).strip()


def test_the_remind_button_reminds_an_agency_with_only_projects_due(client, city, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://kpi.example.go.th"
    reporter, other = make_user("reporter", [city["planning"]]), make_user("reporter", [city["works"]])
    for user in (reporter, other):
        user.email = f"{user.username}@example.go.th"
        user.save()
    client.force_login(make_user("evaluator"))
    assert remind_cell(client.get(URL), city["planning"]) == "ส่งการเตือน (1 คน)"
    reply = client.post("/reports/progress/remind/", {"year": YEAR, "quarter": 1, "agency": "2200"}, follow=True)
    assert "ส่งการเตือนถึงเจ้าหน้าที่ของ สำนักการวางผังและพัฒนาเมือง แล้ว 1 คน" in page_text(reply)
    (sent,) = mail.outbox
    assert sent.to == [reporter.email]
    assert "https://kpi.example.go.th/projects/2570/2200-1/quarters/1/update/" in sent.body
    assert "1100-" not in sent.body  # never another agency's project


def test_the_remind_button_lists_the_agencys_projects_beside_its_indicators(client, city, make_user, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reporter = make_user("reporter", [city["works"]])
    reporter.email = "works@example.go.th"
    reporter.save()
    client.force_login(make_user("manager"))
    client.post("/reports/progress/remind/", {"year": YEAR, "quarter": 1, "agency": "1100"})
    (sent,) = mail.outbox
    assert "1100-1002" in sent.body and "1100-1001" not in sent.body
    assert all(f"1100-{n}/quarters/1/update/" in sent.body for n in (1, 2, 3))
    assert "1100-4/" not in sent.body and "1100-5/" not in sent.body and "2200-1" not in sent.body


def test_the_page_runs_a_fixed_number_of_queries_with_projects(client, city, make_user):
    client.force_login(make_user("evaluator"))
    make_user("reporter", [city["works"]])

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    queries()
    small = queries()
    # The session and user, the years, the window, the indicators, the projects, and the button's
    # due indicators, due projects, reporters (with their groups and agencies) and reminders sent today.
    assert small == 16
    for number in range(15):
        agency = AgencyFactory()
        IndicatorFactory(fiscal_year=city["year"], owner=agency)
        make_user("reporter", [agency])
        for n, status in enumerate([None, "draft", "submitted", "accepted"]):
            project = ProjectFactory(fiscal_year=city["year"], owner=agency, code=f"{7000 + number}-{n}")
            if status:
                ProjectUpdateFactory(project=project, quarter=1, status=status)
    assert queries() == small
    data = client.get(URL).context["data"]
    assert data.total.projects_total == 6 + 60 and len(data.rows) == 17
