"""Printing projects: a project's sheet /projects/<year>/<code>/sheet.pdf
(its text, who may have it, the sheet cache), the indicator sheet's list of
the projects supporting it, a book with each indicator's projects after it,
and the project book of one agency, made by its job (tasks run at once in
the tests)."""

from decimal import Decimal

import pytest

from jobs.models import Job
from projects.models import MilestoneProgress, ProjectUpdate
from reports import sheet_pdfs
from reports.project_printing import pdfs

from .factories import (
    AgencyFactory,
    FiscalYearFactory,
    IndicatorFactory,
    MilestoneFactory,
    ProjectFactory,
    ProjectUpdateFactory,
)
from .pdf_inspect import fonts_carrying_thai, outline_titles, pdf_text, thai_normal
from .test_pdf_book import get_book, make_indicators

NARRATIVE = "จัดประชุมรับฟังความคิดเห็นของประชาชนครบทั้งหกกลุ่มเขตแล้ว"
PROBLEM = "ฝนตกหนักทำให้ต้องเลื่อนการลงพื้นที่"
SCORE_REASON = "ดำเนินการครบตามแผนและมีหลักฐานชัดเจน"


@pytest.fixture
def project(db):
    """A project of agency 7700 in FY 2570 supporting one indicator, with two
    activities and a scored first quarter."""
    year = FiscalYearFactory(year=2570)
    owner = AgencyFactory(code="7700", short_name="สทน.", name="สำนักทดสอบระบบ")
    indicator = IndicatorFactory(owner=owner, fiscal_year=year, code="7700-0001",
                                 name="ร้อยละของชุมชนที่ได้รับการพัฒนา")
    project = ProjectFactory(fiscal_year=year, owner=owner, code="7700-0012",
                             name="โครงการรับฟังความคิดเห็นของประชาชนเพื่อพัฒนาพื้นที่",
                             rationale="เพื่อให้ประชาชนมีส่วนร่วมในการกำหนดนโยบาย", budget_source="แผนงานบริหารทั่วไป")
    project.indicators.add(indicator)
    first = MilestoneFactory(project=project, name="สำรวจพื้นที่และกลุ่มเป้าหมาย", weight=Decimal("40"))
    MilestoneFactory(project=project, name="จัดเวทีรับฟังความคิดเห็น", weight=Decimal("60"))
    update = ProjectUpdateFactory(project=project, quarter=1, status=ProjectUpdate.Status.ACCEPTED,
                                  progress=Decimal("40.00"), disbursed=Decimal("25000.00"),
                                  planned_disbursement=Decimal("30000.00"), narrative=NARRATIVE, problems=PROBLEM,
                                  score=Decimal("95"), score_reason=SCORE_REASON)
    MilestoneProgress.objects.create(update=update, milestone=first, percent=Decimal("100"))
    project.refresh_from_db()
    return project


def sheet_url(project):
    return f"/projects/{project.fiscal_year.year}/{project.code}/sheet.pdf"


def get_sheet(client, project):
    response = client.get(sheet_url(project))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_the_sheet_holds_the_projects_facts_narrative_score_and_indicator(project, manager_client):
    pdf = get_sheet(manager_client, project)
    text = pdf_text(pdf)
    for shown in (project.name, project.code, "สำนักทดสอบระบบ", "นางสาวทดสอบ ระบบดี", "02 224 1234 ต่อ 1520",
                  "เพื่อให้ประชาชนมีส่วนร่วมในการกำหนดนโยบาย", "แผนงานบริหารทั่วไป", "100,000.00",
                  "สำรวจพื้นที่และกลุ่มเป้าหมาย", NARRATIVE, PROBLEM, SCORE_REASON,
                  "สยป. ประเมินโครงการ : ไตรมาสที่ 1", "95.00", "7700-0001", "ร้อยละของชุมชนที่ได้รับการพัฒนา"):
        assert thai_normal(shown) in text, shown
    # Budget per quarter: allocated, planned and disbursed side by side.
    assert thai_normal("1 100,000.00 30,000.00 25,000.00 25.00") in text
    thai_fonts = fonts_carrying_thai(pdf)
    assert thai_fonts and all(name.startswith("Sarabun") for name in thai_fonts), thai_fonts
    assert outline_titles(pdf) == [(f"{project.code} {project.name}", 0)]


@pytest.mark.parametrize("role", ["manager", "evaluator", "administrator"])
def test_those_who_read_everything_print_any_projects_sheet(project, client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(sheet_url(project)).status_code == 200


def test_a_reporter_prints_their_agencys_sheet_not_another_agencys(project, client, make_user):
    client.force_login(make_user("reporter", agencies=[project.owner]))
    assert client.get(sheet_url(project)).status_code == 200
    client.force_login(make_user("reporter", agencies=[AgencyFactory()]))
    assert client.get(sheet_url(project)).status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in_and_an_unknown_project_is_404(project, client, make_user):
    response = client.get(sheet_url(project))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(make_user("manager"))
    assert client.get(f"/projects/2570/{project.code}9/sheet.pdf").status_code == 404


def test_the_cache_is_reused_until_an_update_changes(project, manager_client, monkeypatch):
    calls = []
    lay_out = pdfs.lay_out_project_sheets
    monkeypatch.setattr(pdfs, "lay_out_project_sheets", lambda projects: calls.append(len(projects)) or lay_out(projects))
    first = pdf_text(get_sheet(manager_client, project))
    pdf_text(get_sheet(manager_client, project))
    assert calls == [1]  # the second print came from the cache
    assert sheet_pdfs.read(pdfs.cache_key(project)) is not None

    update = project.updates.get(quarter=1)
    update.narrative = "ผลการดำเนินงานที่แก้ไขใหม่หลังตรวจ"
    update.save()
    project.refresh_from_db()
    assert project.sheet_version > 0 and not pdfs.is_cached(project)
    changed = pdf_text(get_sheet(manager_client, project))
    assert calls == [1, 1]
    assert thai_normal("ผลการดำเนินงานที่แก้ไขใหม่หลังตรวจ") in changed and thai_normal(NARRATIVE) in first
    assert thai_normal(NARRATIVE) not in changed


def test_what_the_sheet_shows_gives_a_new_version_without_a_history_row(project):
    def version():
        project.refresh_from_db()
        return project.sheet_version

    histories = project.history.count()
    before = version()
    MilestoneFactory(project=project, name="สรุปผล", weight=Decimal("0"))
    assert version() == before + 1
    update = project.updates.get(quarter=1)
    MilestoneProgress.objects.filter(update=update).update(percent=Decimal("90"))  # a bulk update: no signal
    row = MilestoneProgress.objects.get(update=update)
    row.save()
    assert version() == before + 2
    project.districts.add(AgencyFactory(kind="district_office"))
    assert version() == before + 3
    assert project.history.count() == histories
    # A copy loaded before a change saved again cannot bring back an old version.
    stale = type(project).objects.get(pk=project.pk)
    ProjectUpdateFactory(project=project, quarter=2)
    stale.name = "ชื่อใหม่"
    stale.save()
    assert version() == before + 5


def test_the_indicator_sheet_lists_its_projects_with_their_progress(project, manager_client):
    indicator = project.indicators.get()
    pdf = manager_client.get(f"/indicators/2570/{indicator.code}/sheet.pdf").content
    text = pdf_text(pdf)
    section = text[text.index(thai_normal("โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด")):]
    assert thai_normal(f"{project.code} {project.name} 40.00") in section


def test_an_indicator_without_projects_prints_its_free_text(project, manager_client):
    lone = IndicatorFactory(owner=project.owner, fiscal_year=project.fiscal_year,
                            supporting_projects="โครงการเดิมที่บันทึกเป็นข้อความ")
    text = pdf_text(manager_client.get(f"/indicators/2570/{lone.code}/sheet.pdf").content)
    assert thai_normal("โครงการเดิมที่บันทึกเป็นข้อความ") in text


def test_a_new_update_of_a_project_is_a_new_sheet_of_its_indicator(project, manager_client):
    indicator = project.indicators.get()
    version = indicator.sheet_version
    ProjectUpdateFactory(project=project, quarter=2, status=ProjectUpdate.Status.SUBMITTED, progress=Decimal("75"))
    indicator.refresh_from_db()
    assert indicator.sheet_version > version
    text = pdf_text(manager_client.get(f"/indicators/2570/{indicator.code}/sheet.pdf").content)
    assert thai_normal(f"{project.code} {project.name} 75.00") in text


def test_a_book_with_projects_puts_each_projects_sheet_after_its_indicators(project, manager_client):
    indicator = project.indicators.get()
    others = make_indicators(1, project.owner, project.fiscal_year)
    plain = get_book(manager_client, year=2570, agency="7700")
    assert thai_normal(NARRATIVE) not in pdf_text(plain.content)

    book = get_book(manager_client, year=2570, agency="7700", with_projects="on")
    text = pdf_text(book.content)
    assert thai_normal(NARRATIVE) in text and thai_normal(SCORE_REASON) in text
    # Top-level bookmarks stay one per indicator; the project's sheet comes right after its indicator's.
    titles = outline_titles(book.content)
    assert [title.split()[0] for title, _page in titles] == sorted([indicator.code, others[0].code])
    project_sheet = text.index(thai_normal(f"{project.name}:{project.code}"))
    indicator_sheet = text.index(thai_normal(f"{indicator.name}:{indicator.code}"))
    assert indicator_sheet < project_sheet
    job = Job.objects.filter(kind="book").latest("pk")
    assert job.params["with_projects"] == "on" and job.download_name.endswith("-with-projects.pdf")


def test_a_book_holds_only_the_projects_its_owner_may_see(project, client, make_user):
    other_agency = AgencyFactory(code="7800")
    hidden = ProjectFactory(fiscal_year=project.fiscal_year, owner=other_agency, name="โครงการของหน่วยงานอื่น",
                            rationale="หลักการของโครงการที่ผู้รายงานหน่วยงานนี้ไม่ควรเห็น")
    hidden.indicators.add(project.indicators.get())
    client.force_login(make_user("reporter", agencies=[project.owner]))
    book = get_book(client, year=2570, agency="7700", with_projects="on").content
    text = pdf_text(book)
    assert thai_normal(project.rationale) in text
    # The indicator's sheet names every project it has; the other agency's sheet is not in the book.
    assert thai_normal(hidden.rationale) not in text
    assert thai_normal(f"{hidden.name}:{hidden.code}") not in text


PROJECT_BOOK_URL = "/reports/project-book/jobs/"


def ask_project_book(client, agency="7700", year=2570):
    return client.post(PROJECT_BOOK_URL, {"project_book-year": year, "project_book-agency": agency})


def test_the_project_book_of_an_agency_holds_its_projects_and_no_others(project, client, make_user):
    second = ProjectFactory(fiscal_year=project.fiscal_year, owner=project.owner, code="7700-0013",
                            name="โครงการปรับปรุงทางเท้าในชุมชน")
    elsewhere = ProjectFactory(fiscal_year=project.fiscal_year, owner=AgencyFactory(code="7800"),
                               name="โครงการของสำนักอื่นในปีเดียวกัน")
    client.force_login(make_user("reporter", agencies=[project.owner]))
    response = ask_project_book(client)
    assert response.status_code == 302, response.content.decode()[:300]
    job = Job.objects.get(kind="project_book")
    assert job.status == Job.Status.DONE, job.error
    assert (job.done, job.total) == (2, 2)
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download.status_code == 200
    pdf = b"".join(download.streaming_content)
    text = pdf_text(pdf)
    assert thai_normal(project.name) in text and thai_normal(second.name) in text
    assert thai_normal(elsewhere.name) not in text
    assert thai_normal("2 โครงการ") in text and thai_normal("สารบัญ") in text
    assert [title for title, _page in outline_titles(pdf)] == [f"{project.code} {project.name}",
                                                              f"{second.code} {second.name}"]
    assert job.download_name == "projects-2570-7700.pdf"


def test_the_project_book_of_another_agency_is_refused(project, client, make_user):
    client.force_login(make_user("reporter", agencies=[AgencyFactory(code="7800")]))
    response = ask_project_book(client)
    assert response.status_code == 403
    assert "ท่านไม่มีสิทธิ์พิมพ์โครงการของหน่วยงานนี้" in response.content.decode()
    assert not Job.objects.filter(kind="project_book").exists()


def test_a_project_book_without_an_agency_or_projects_says_so_in_thai(project, manager_client):
    response = ask_project_book(manager_client, agency="")
    assert response.status_code == 400 and "กรุณาเลือกหน่วยงาน" in response.content.decode()
    AgencyFactory(code="7900")
    response = ask_project_book(manager_client, agency="7900")
    assert response.status_code == 404
    assert "หน่วยงานนี้ไม่มีโครงการในปีงบประมาณที่เลือก" in response.content.decode()


def test_the_book_form_page_offers_both_forms(project, manager_client):
    html = manager_client.get("/reports/book/?year=2570").content.decode()
    assert "รวมโครงการที่สนับสนุนต่อท้ายแต่ละตัวชี้วัด" in html
    assert f'action="{PROJECT_BOOK_URL}"' in html and 'name="project_book-agency"' in html


def test_the_sheet_runs_a_fixed_number_of_queries(project, manager_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            get_sheet(manager_client, project)  # each is a new version: laid out, not from the cache
        return len(ctx.captured_queries)

    small = queries()
    milestones = [MilestoneFactory(project=project, weight=Decimal("0")) for _ in range(3)]
    for quarter in (2, 3, 4):
        update = ProjectUpdateFactory(project=project, quarter=quarter, status=ProjectUpdate.Status.DRAFT,
                                      progress=Decimal(quarter * 20))
        for milestone in milestones:
            MilestoneProgress.objects.create(update=update, milestone=milestone, percent=Decimal("50"))
    project.indicators.add(IndicatorFactory(fiscal_year=project.fiscal_year, owner=project.owner))
    project.districts.add(AgencyFactory(kind="district_office"), AgencyFactory(kind="district_office"))
    project.refresh_from_db()
    assert queries() == small
