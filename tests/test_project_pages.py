"""The projects' pages (issue 23 item 5): the list, the project's page and
its edit page; who may open them; their queries at two sizes; the filters;
the timeline's overdue mark; the weights refused with the input kept; and
each indicator's page listing its projects (cached, and invalidated when a
project changes)."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import Agency
from projects.models import MilestoneProgress, Project
from tests.factories import (
    AgencyFactory,
    DistrictGroupFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProjectFactory,
    ProjectUpdateFactory,
)
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
DAYS = datetime.timedelta


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def url(project, suffix=""):
    return f"/projects/{project.fiscal_year.year}/{project.code}/{suffix}"


def listed_codes(response):
    html = response.content.decode()
    if "<tbody>" not in html:
        return []
    body = html[html.index("<tbody>"):html.index("</tbody>")]
    return re.findall(r'<td class="text-nowrap"><a href="[^"]+">([^<]+)</a>', body)


def project_with_activities(n_milestones=2, n_updates=1, **kwargs):
    """A project whose activities share 100 and whose updates report each
    activity's percent."""
    project = ProjectFactory(**kwargs)
    weight = D(100) / n_milestones
    milestones = [MilestoneFactory(project=project, weight=weight, planned_start=TODAY - DAYS(30),
                                   planned_finish=TODAY + DAYS(30)) for _ in range(n_milestones)]
    for quarter in range(1, n_updates + 1):
        update = ProjectUpdateFactory(project=project, quarter=quarter, progress=D(10 * quarter),
                                      disbursed=D(1000 * quarter))
        for milestone in milestones:
            MilestoneProgress.objects.create(update=update, milestone=milestone, percent=D(10 * quarter))
    return project


@pytest.fixture
def world(make_user):
    year = FiscalYearFactory(year=2570)
    ours, theirs = AgencyFactory(code="2100", name="สำนักยุทธศาสตร์และประเมินผล"), AgencyFactory(code="5013")
    mine = project_with_activities(fiscal_year=year, owner=ours, code="2100-0012", name="โครงการสำรวจความคิดเห็น")
    other = project_with_activities(fiscal_year=year, owner=theirs, code="5013-0001", name="โครงการของเขตอื่น")
    return {
        "year": year, "ours": ours, "theirs": theirs, "mine": mine, "other": other,
        "reporter": make_user("reporter", [ours]), "other_reporter": make_user("reporter", [theirs]),
        "evaluator": make_user("evaluator"), "manager": make_user("manager"),
        "administrator": make_user("administrator"),
    }


# --- who may open what -------------------------------------------------------

# (role, list shows mine, detail, edit)
MATRIX = [
    ("reporter", True, 200, 200),
    ("other_reporter", False, 403, 403),
    ("evaluator", True, 200, 403),
    ("manager", True, 200, 403),
    ("administrator", True, 200, 200),
]


@pytest.mark.parametrize(("role", "listed", "detail", "edit"), MATRIX)
def test_permission_matrix(world, role, listed, detail, edit):
    client = signed_in(world[role])
    mine = world["mine"]
    codes = listed_codes(client.get("/projects/"))
    assert (mine.code in codes) == listed
    assert client.get(url(mine)).status_code == detail
    assert client.get(url(mine, "edit/")).status_code == edit
    if edit == 403:
        assert client.post(url(mine, "edit/"), {"name": "เปลี่ยนชื่อ"}).status_code == 403
        mine.refresh_from_db()
        assert mine.name == "โครงการสำรวจความคิดเห็น"


def test_another_agencys_reporter_sees_only_their_own(world):
    codes = listed_codes(signed_in(world["other_reporter"]).get("/projects/"))
    assert codes == ["5013-0001"]


def test_signed_out_is_sent_to_sign_in(world, client):
    for path in ("/projects/", url(world["mine"]), url(world["mine"], "edit/")):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_project_is_404(world):
    assert signed_in(world["manager"]).get("/projects/2570/2100-9999/").status_code == 404


# --- queries -----------------------------------------------------------------

def queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_few_and_many_projects(world, django_assert_num_queries):
    client = signed_in(world["manager"])
    client.get("/projects/")  # sessions and the like warmed up; today's standings stored
    few = queries(client, "/projects/")
    few_standing = queries(client, "/projects/?standing=behind")
    for _ in range(12):
        project_with_activities(n_milestones=4, n_updates=3, fiscal_year=world["year"], owner=world["theirs"])
    client.get("/projects/")  # the new projects' standings stored (the day's pass, pinned below)
    with django_assert_num_queries(few):
        response = client.get("/projects/")
    assert len(listed_codes(response)) == 14
    # Session, user, roles, years, the freshness check, count, page, activities.
    assert few <= 12
    # The standing filter reads the stored column: the same queries as without it.
    assert few_standing == few
    with django_assert_num_queries(few_standing):
        response = client.get("/projects/?standing=behind")
    assert len(listed_codes(response)) == 14


def test_the_days_first_list_refreshes_the_stale_rows_in_the_same_queries_for_few_and_many(
        world, django_assert_num_queries):
    client = signed_in(world["manager"])
    client.get("/projects/")
    Project.objects.update(standing_on=TODAY - DAYS(1))  # yesterday's
    few = queries(client, "/projects/?standing=behind")
    for _ in range(12):
        project_with_activities(n_milestones=4, n_updates=3, fiscal_year=world["year"], owner=world["theirs"])
    client.get("/projects/")
    Project.objects.update(standing_on=TODAY - DAYS(1))
    with django_assert_num_queries(few):
        response = client.get("/projects/?standing=behind")
    assert len(listed_codes(response)) == 14
    assert set(Project.objects.values_list("standing_on", flat=True)) == {TODAY}
    fresh = queries(client, "/projects/?standing=behind")
    # The pass: a savepoint, its rows locked, their activities, updates and
    # percents, the new date of the unchanged (one UPDATE), the savepoint's release.
    assert few - fresh == 7


def test_the_project_page_runs_the_same_queries_for_a_small_and_a_large_project(world, django_assert_num_queries):
    client = signed_in(world["manager"])
    small = project_with_activities(n_milestones=1, n_updates=1, fiscal_year=world["year"], owner=world["ours"])
    client.get(url(small))
    count = queries(client, url(small))
    large = project_with_activities(n_milestones=8, n_updates=4, fiscal_year=world["year"], owner=world["ours"])
    large.indicators.set([IndicatorFactory(fiscal_year=world["year"]) for _ in range(5)])
    large.districts.set([AgencyFactory(kind=Agency.Kind.DISTRICT_OFFICE) for _ in range(4)])
    large.continues_from = ProjectFactory(fiscal_year=FiscalYearFactory(year=2569), owner=world["ours"])
    large.save()
    ProjectFactory(fiscal_year=FiscalYearFactory(year=2571), owner=world["ours"], continues_from=large)
    with django_assert_num_queries(count):
        response = client.get(url(large))
    assert response.status_code == 200
    assert count <= 14


# --- the filters ---------------------------------------------------------------

def test_the_year_defaults_to_the_latest(world):
    later = ProjectFactory(fiscal_year=FiscalYearFactory(year=2571), owner=world["ours"], code="2100-0099")
    client = signed_in(world["manager"])
    assert listed_codes(client.get("/projects/")) == [later.code]
    assert listed_codes(client.get("/projects/?year=2570")) == ["2100-0012", "5013-0001"]


def test_search_by_code_or_name(world):
    client = signed_in(world["manager"])
    assert listed_codes(client.get("/projects/?year=2570&q=5013")) == ["5013-0001"]
    assert listed_codes(client.get("/projects/?year=2570&q=สำรวจ")) == ["2100-0012"]


def test_filter_by_agency_and_district_group(world):
    group = DistrictGroupFactory(code="bkk-south")
    Agency.objects.filter(pk=world["theirs"].pk).update(district_group=group)
    client = signed_in(world["manager"])
    assert listed_codes(client.get("/projects/?year=2570&agency=2100")) == ["2100-0012"]
    assert listed_codes(client.get("/projects/?year=2570&group=bkk-south")) == ["5013-0001"]


def test_a_bad_value_lists_nothing_with_a_message(world):
    response = signed_in(world["manager"]).get("/projects/?year=2570&standing=sideways")
    assert listed_codes(response) == []


@pytest.fixture
def standings(world):
    """One project of each standing, on today."""
    year, owner = world["year"], world["ours"]
    Project.objects.all().delete()
    not_started = ProjectFactory(fiscal_year=year, owner=owner, code="2100-0001",
                                 planned_start=TODAY + DAYS(10), planned_finish=TODAY + DAYS(100))
    on_plan = ProjectFactory(fiscal_year=year, owner=owner, code="2100-0002",
                             planned_start=TODAY - DAYS(10), planned_finish=TODAY + DAYS(90))
    ProjectUpdateFactory(project=on_plan, quarter=1, progress=D(50))
    behind = ProjectFactory(fiscal_year=year, owner=owner, code="2100-0003",
                            planned_start=TODAY - DAYS(90), planned_finish=TODAY + DAYS(10))
    ProjectUpdateFactory(project=behind, quarter=1, progress=D(5))
    overdue = project_with_activities(fiscal_year=year, owner=owner, code="2100-0004")
    overdue.milestones.update(planned_finish=TODAY - DAYS(5))
    finished = ProjectFactory(fiscal_year=year, owner=owner, code="2100-0005", actual_finish=TODAY - DAYS(1))
    return {"not_started": not_started, "on_plan": on_plan, "behind": behind, "overdue": overdue,
            "finished": finished}


@pytest.mark.parametrize("standing", ["not_started", "on_plan", "behind", "overdue", "finished"])
def test_filter_by_standing(world, standings, standing):
    response = signed_in(world["manager"]).get(f"/projects/?year=2570&standing={standing}")
    assert listed_codes(response) == [standings[standing].code]


def test_the_list_shows_progress_plan_budget_used_and_standing(world):
    text = page_text(signed_in(world["manager"]).get("/projects/?year=2570&q=2100-0012"))
    # One update: 10 % done, 1,000 of 100,000 baht spent (1.00 %); the plan
    # is half way through both activities.
    assert "10.00" in text and "แผน 50.00" in text
    assert "100,000.00" in text and "1,000.00" in text and "1.00" in text
    assert "ล่าช้ากว่าแผน" in text


# --- the project's page ---------------------------------------------------------

def test_the_page_shows_the_facts_as_the_old_site(world):
    mine = world["mine"]
    ProjectUpdateFactory(project=mine, quarter=3, progress=D(15), score=D(100))
    response = signed_in(world["manager"]).get(url(mine))
    text = page_text(response)
    assert "โครงการสำรวจความคิดเห็น : 2100-0012" in text
    assert "สำนักยุทธศาสตร์และประเมินผล : (2570)" in text
    assert "ความคืบหน้าโครงการ ร้อยละ 15.00" in text
    assert "นางสาวทดสอบ ระบบดี · โทร. 02 224 1234 ต่อ 1520" in text
    assert "*** สยป. ประเมินโครงการ : ไตรมาสที่ 3 100.00" in text
    assert 'href="/projects/2570/2100-0012/sheet.pdf"' in response.content.decode()


def svg_of(response):
    html = response.content.decode()
    return html[html.index("<svg role=\"img\""):html.index("</svg>")]


def test_the_timeline_marks_an_overdue_activity_in_words(world):
    mine = world["mine"]
    client = signed_in(world["manager"])
    svg = svg_of(client.get(url(mine)))
    assert "<title" in svg and "<desc" in svg
    assert "เกินกำหนด" not in svg  # both activities run until next month
    late = mine.milestones.first()
    late.planned_finish = TODAY - DAYS(3)
    late.save()
    response = client.get(url(mine))
    svg = svg_of(response)
    assert svg.count('class="timeline-bar overdue"') == 1
    assert "เกินกำหนด" in svg[svg.index("<desc"):svg.index("</desc>")]
    assert "เกินกำหนด" in svg[svg.index("timeline-bar overdue"):]
    # The table beside it says so too, and the project is overdue.
    assert 'class="milestone-overdue"' in response.content.decode()


def test_the_page_shows_quarters_indicators_and_the_lineage(world):
    mine = world["mine"]
    indicator = IndicatorFactory(fiscal_year=world["year"], code="2200-1061", status_q4="met")
    mine.indicators.add(indicator)
    earlier = ProjectFactory(fiscal_year=FiscalYearFactory(year=2569), owner=world["ours"], code="2100-0007")
    later = ProjectFactory(fiscal_year=FiscalYearFactory(year=2571), owner=world["ours"], code="2100-0031")
    mine.continues_from = earlier
    mine.save()
    later.continues_from = mine
    later.save()
    update = mine.updates.get(quarter=1)
    update.problems, update.delay_reason = "ฝนตกหนัก", "รอผลการจัดซื้อ"
    update.save()
    response = signed_in(world["manager"]).get(url(mine))
    html, text = response.content.decode(), page_text(response)
    assert 'href="/indicators/2570/2200-1061/"' in html
    assert 'href="/projects/2569/2100-0007/"' in html and 'href="/projects/2571/2100-0031/"' in html
    assert "ปัญหาอุปสรรค ฝนตกหนัก" in text and "เหตุผลที่ล่าช้ากว่าแผน รอผลการจัดซื้อ" in text


def test_update_links_only_for_its_reporters(world):
    mine = world["mine"]
    assert "/projects/2570/2100-0012/quarters/1/update/" in signed_in(world["reporter"]).get(url(mine)).content.decode()
    assert "quarters/1/update/" not in signed_in(world["manager"]).get(url(mine)).content.decode()


# --- the edit page ------------------------------------------------------------------

def edit_data(project, milestones, **facts):
    data = {
        "name": project.name, "responsible_name": "นายใหม่ รับผิดชอบ", "responsible_phone": "1555",
        "rationale": "เหตุผล", "objectives": "", "target_group": "", "planned_start": "1/10/2569",
        "planned_finish": "30/9/2570", "actual_start": "", "actual_finish": "", "budget_allocated": "250000.00",
        "budget_source": "แผนงานบริหารทั่วไป", "continues_from": "",
        "milestones-TOTAL_FORMS": str(len(milestones)), "milestones-INITIAL_FORMS": str(
            sum(1 for m in milestones if m.get("id"))),
        "milestones-MIN_NUM_FORMS": "0", "milestones-MAX_NUM_FORMS": "1000",
        **facts,
    }
    for n, milestone in enumerate(milestones):
        for key, value in milestone.items():
            data[f"milestones-{n}-{key}"] = value
    return data


def test_weights_that_do_not_total_100_are_refused_and_the_input_kept(world):
    mine = world["mine"]
    existing = list(mine.milestones.all())
    rows = [{"id": str(m.pk), "project": str(mine.pk), "order": "1", "name": m.name, "weight": "60",
             "planned_start": "", "planned_finish": ""} for m in existing]
    rows.append({"id": "", "project": str(mine.pk), "order": "3", "name": "กิจกรรมที่พิมพ์ไว้", "weight": "5",
                 "planned_start": "", "planned_finish": ""})
    response = signed_in(world["reporter"]).post(url(mine, "edit/"), edit_data(mine, rows, name="ชื่อที่พิมพ์ใหม่"))
    assert response.status_code == 400
    text = page_text(response)
    assert "น้ำหนักของกิจกรรมทั้งหมดรวมกันต้องเท่ากับ 100 (ขณะนี้รวมได้ 125)" in text
    html = response.content.decode()
    assert 'value="กิจกรรมที่พิมพ์ไว้"' in html and "ชื่อที่พิมพ์ใหม่" in html
    mine.refresh_from_db()
    assert mine.name == "โครงการสำรวจความคิดเห็น" and mine.milestones.count() == 2
    assert {m.weight for m in mine.milestones.all()} == {D(50)}


def test_an_edit_saves_facts_and_activities_with_history(world):
    mine = world["mine"]
    first, second = mine.milestones.all()
    indicator = IndicatorFactory(fiscal_year=world["year"])
    rows = [
        {"id": str(first.pk), "project": str(mine.pk), "order": "1", "name": "สำรวจ", "weight": "70",
         "planned_start": "1/10/2569", "planned_finish": "31/3/2570"},
        {"id": str(second.pk), "project": str(mine.pk), "order": "2", "name": second.name, "weight": "50",
         "planned_start": "", "planned_finish": "", "DELETE": "on"},
        {"id": "", "project": str(mine.pk), "order": "3", "name": "สรุปผล", "weight": "30",
         "planned_start": "1/4/2570", "planned_finish": "30/9/2570"},
    ]
    reporter = world["reporter"]
    response = signed_in(reporter).post(url(mine, "edit/"), edit_data(mine, rows, indicators=[str(indicator.pk)]))
    assert response.status_code == 302, page_text(response)[:2000]
    mine.refresh_from_db()
    assert mine.responsible_name == "นายใหม่ รับผิดชอบ"
    assert mine.planned_start == datetime.date(2026, 10, 1) and mine.budget_allocated == D("250000.00")
    assert [(m.name, m.weight) for m in mine.milestones.all()] == [("สำรวจ", D(70)), ("สรุปผล", D(30))]
    assert list(mine.indicators.all()) == [indicator]
    latest = mine.history.first()
    assert latest.history_user == reporter and latest.history_change_reason
    assert first.history.first().history_user == reporter
    assert second.history.first().history_type == "-"


def test_the_edit_form_offers_this_years_indicators_and_last_years_projects(world):
    mine = world["mine"]
    this_year = IndicatorFactory(fiscal_year=world["year"], code="2100-1111")
    IndicatorFactory(fiscal_year=FiscalYearFactory(year=2569), code="2100-2222")
    earlier = ProjectFactory(fiscal_year=FiscalYearFactory(year=2569), owner=world["ours"], code="2100-0501")
    ProjectFactory(fiscal_year=FiscalYearFactory(year=2568), owner=world["ours"], code="2100-0401")
    html = signed_in(world["administrator"]).get(url(mine, "edit/")).content.decode()
    assert this_year.code in html and "2100-2222" not in html
    assert earlier.code in html and "2100-0401" not in html
    # A project of two years before is refused even when posted.
    two_years = Project.objects.get(code="2100-0401")
    rows = [{"id": str(m.pk), "project": str(mine.pk), "order": "1", "name": m.name, "weight": "50",
             "planned_start": "", "planned_finish": ""} for m in mine.milestones.all()]
    response = signed_in(world["administrator"]).post(
        url(mine, "edit/"), edit_data(mine, rows, continues_from=str(two_years.pk)))
    assert response.status_code == 400


# --- the indicator's page ----------------------------------------------------------

def test_the_indicator_page_lists_its_projects_and_is_refreshed_when_one_changes(world):
    indicator = IndicatorFactory(fiscal_year=world["year"], owner=world["ours"], code="2100-1037",
                                 supporting_projects="ข้อความเดิมของตัวชี้วัด")
    client = signed_in(world["manager"])
    path = "/indicators/2570/2100-1037/"
    text = page_text(client.get(path))
    assert "ข้อความเดิมของตัวชี้วัด" in text  # none linked: the old free text
    mine = world["mine"]
    mine.indicators.add(indicator)
    response = client.get(path)
    text = page_text(response)
    assert 'href="/projects/2570/2100-0012/"' in response.content.decode()
    assert "โครงการสำรวจความคิดเห็น" in text and "10.00" in text and "ล่าช้ากว่าแผน" in text
    assert "ข้อความเดิมของตัวชี้วัด" not in text
    # A new quarter reported: the cached page shows it at once.
    update = ProjectUpdateFactory(project=mine, quarter=2, progress=D("77.50"))
    assert "77.50" in page_text(client.get(path))
    MilestoneProgress.objects.create(update=update, milestone=mine.milestones.first(), percent=D(50))
    mine.name = "โครงการสำรวจความคิดเห็น ปรับชื่อ"
    mine.save()
    assert "ปรับชื่อ" in page_text(client.get(path))
    mine.indicators.clear()
    assert "ข้อความเดิมของตัวชี้วัด" in page_text(client.get(path))


def test_the_nav_links_to_the_projects_for_the_signed_in(world):
    html = signed_in(world["manager"]).get("/").content.decode()
    assert 'href="/projects/" id="nav-projects"' in html
    assert 'id="nav-projects"' not in Client().get("/accounts/login/").content.decode()


def test_the_indicator_page_runs_the_same_queries_with_none_one_or_many_projects(world):
    indicator = IndicatorFactory(fiscal_year=world["year"], owner=world["ours"])
    client = signed_in(world["manager"])
    path = indicator.get_absolute_url()
    client.get(path)
    counts = []
    for linked in (1, 0, 5):
        indicator.projects.set([project_with_activities(n_milestones=3, n_updates=2, fiscal_year=world["year"],
                                                        owner=world["ours"]) for _ in range(linked)])
        counts.append(queries(client, path))  # each change bumped the page: drawn afresh
    assert counts[0] == counts[1] == counts[2]


# --- another agency's project on an indicator's page and sheet ----------------

def test_an_indicators_page_and_sheet_list_another_agencys_project_only_to_those_who_read_everything(world):
    from tests.pdf_inspect import pdf_text

    indicator = IndicatorFactory(fiscal_year=world["year"], owner=world["ours"], code="2100-7001")
    world["mine"].indicators.add(indicator)
    world["other"].indicators.add(indicator)  # the district's project supports our indicator too
    page = f"/indicators/2570/{indicator.code}/"
    ours = signed_in(world["reporter"]).get(page).content.decode()
    assert world["mine"].name in ours and world["other"].name not in ours
    managers = signed_in(world["manager"]).get(page).content.decode()
    assert world["mine"].name in managers and world["other"].name in managers
    # The printed sheet is cached once for everyone who may see the indicator: its own agency's only.
    sheet = pdf_text(signed_in(world["manager"]).get(page + "sheet.pdf").content)
    assert world["mine"].code in sheet and world["other"].code not in sheet
