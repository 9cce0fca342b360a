"""A project update's whole round in a real Chromium (issue 23, "Done when"):
a reporter enters a quarter's update with a PDF, is refused once until the
warning is confirmed, submits; the evaluator finds it under ประเภท โครงการ and
returns it with a comment; the reporter sees the comment, corrects and
submits again; the evaluator accepts and scores it; the database keeps every
step and the file, and the public project page shows the score."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from notifications.models import Notification
from projects.models import MilestoneProgress, ProjectEvidence, ProjectUpdate

from .a11y import assert_accessible
from .entry_support import set_window
from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, MilestoneFactory, ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("media_root")]

PASSWORD = "pass-1234-word"  # tests/factories.py UserFactory
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
SHOTS = Path("/tmp/p-browser-shots")
S = ProjectUpdate.Status


@pytest.fixture
def project():
    year = FiscalYearFactory(year=2570, published=True)
    agency = AgencyFactory(code="2100", name="สำนักยุทธศาสตร์และประเมินผล", short_name="สยป.")
    set_window(IndicatorFactory(fiscal_year=year, owner=agency), 1)  # quarter 1 open today
    project = ProjectFactory(
        fiscal_year=year, owner=agency, code="2100-0012", budget_allocated=Decimal("100000.00"),
        name="โครงการรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต",
        planned_start=datetime.date(2026, 10, 1), planned_finish=datetime.date(2027, 9, 30))
    MilestoneFactory(project=project, name="ประชุมชี้แจงสำนักงานเขต", weight=Decimal("40"), order=1,
                     planned_start=datetime.date(2026, 10, 1), planned_finish=datetime.date(2026, 12, 31))
    MilestoneFactory(project=project, name="ลงพื้นที่รับฟังความคิดเห็นของประชาชน", weight=Decimal("60"), order=2,
                     planned_start=datetime.date(2027, 1, 1), planned_finish=datetime.date(2027, 9, 30))
    UserFactory(username="reporter2100", role="reporter", agencies=[agency])
    UserFactory(username="evaluator1", role="evaluator")
    return project


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in_as(page, username):
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def milestone_input(page, name):
    return page.get_by_label(re.compile(re.escape(name)))


def test_reporter_enters_evaluator_returns_reporter_corrects_evaluator_scores(page, project):
    form_url = "/projects/2570/2100-0012/quarters/1/update/"
    review_url = "/review/projects/2570/2100-0012/1/"

    # 1. The reporter enters the quarter: each activity, money, narrative, a PDF.
    sign_in_as(page, "reporter2100")
    page.goto(form_url)
    milestone_input(page, "ประชุมชี้แจงสำนักงานเขต").fill("100")
    milestone_input(page, "ลงพื้นที่รับฟังความคิดเห็นของประชาชน").fill("๑๐")
    page.fill("#id_disbursed", "120,000")  # above the 100,000 allocated: a soft warning
    page.fill("#id_planned_disbursement", "50000")
    page.fill("#id_narrative", "จัดประชุมชี้แจงครบ 50 เขต <b>ไม่ใช่ตัวหนา</b>")
    page.fill("#id_problems", "ฝนตกหนักช่วงพฤศจิกายน")
    page.set_input_files("#id_files", files=[{"name": "หนังสือเชิญประชุม.pdf", "mimeType": "application/pdf",
                                              "buffer": PDF}])
    page.get_by_role("button", name="ส่งรายงานเพื่อตรวจประเมิน").click()
    page.wait_for_load_state()
    # Refused until the warning is confirmed; nothing typed is lost but the file.
    warnings = page.locator("#update-warnings")
    assert "เบิกจ่ายสะสมสูงกว่างบประมาณที่ได้รับ" in warnings.inner_text()
    assert page.input_value("#id_narrative").startswith("จัดประชุมชี้แจงครบ 50 เขต")
    expect(page.locator("#choose-files-again")).to_be_visible()
    assert not ProjectUpdate.objects.filter(project=project).exists()
    assert_accessible(page, "the refused update form")
    shot(page, "update-refused")

    page.check("#id_confirm_warnings")
    page.set_input_files("#id_files", files=[{"name": "หนังสือเชิญประชุม.pdf", "mimeType": "application/pdf",
                                              "buffer": PDF}])
    page.get_by_role("button", name="ส่งรายงานเพื่อตรวจประเมิน").click()
    page.wait_for_url(re.compile(re.escape(form_url)))
    assert "ส่งรายงานความคืบหน้าโครงการไตรมาสที่ 1 แล้ว" in page.locator("#messages").inner_text()
    update = ProjectUpdate.objects.get(project=project, quarter=1)
    assert (update.status, update.progress, update.disbursed) == (S.SUBMITTED, Decimal("46.00"), Decimal("120000"))

    # 2. The evaluator finds it under ประเภท โครงการ and returns it.
    sign_in_as(page, "evaluator1")
    page.goto("/review/")
    page.get_by_label("ประเภท").select_option("projects")
    page.locator("form:has(#id_kind) button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "kind=projects" in page.url
    page.click("#project-review-queue a:has-text('2100-0012')")
    page.wait_for_url(re.compile(re.escape(review_url)))
    assert "เบิกจ่ายสะสมสูงกว่างบประมาณที่ได้รับ" in page.inner_text("#project-review-warnings")
    assert "หนังสือเชิญประชุม.pdf" in page.inner_text("#project-review-evidence")
    assert "<b>ไม่ใช่ตัวหนา</b>" in page.inner_text("#project-review-narrative")  # HTML shown as text
    assert_accessible(page, "the review page")
    shot(page, "review")
    page.fill("#id_project_return_comment", "เบิกจ่ายเกินงบประมาณ โปรดตรวจสอบยอดเบิกจ่ายสะสม")
    page.click("#form-project-return button[type=submit]")
    page.wait_for_load_state()
    update.refresh_from_db()
    assert update.status == S.RETURNED

    # 3. The reporter sees the return (a notice and the comment), corrects, resubmits.
    sign_in_as(page, "reporter2100")
    assert Notification.objects.filter(recipient__username="reporter2100").exists()
    page.goto("/notifications/")
    assert "2100-0012" in page.inner_text("main")
    page.goto(form_url)
    comment = page.locator("#reviewer-comment")
    assert "เบิกจ่ายเกินงบประมาณ โปรดตรวจสอบยอดเบิกจ่ายสะสม" in comment.inner_text()
    assert_accessible(page, "the returned update form")
    shot(page, "update-returned")
    assert page.input_value("#id_disbursed").replace(",", "").startswith("120000")
    page.fill("#id_disbursed", "45,500.50")
    page.get_by_role("button", name="ส่งรายงานเพื่อตรวจประเมิน").click()
    page.wait_for_url(re.compile(re.escape(form_url)))
    update.refresh_from_db()
    assert (update.status, update.disbursed, update.warnings) == (S.SUBMITTED, Decimal("45500.50"), [])

    # 4. The evaluator accepts and scores it (a bad score keeps the reason typed).
    sign_in_as(page, "evaluator1")
    page.goto(review_url)
    assert "project-review-warnings" not in page.content()
    page.click("#form-project-accept button[type=submit]")
    page.wait_for_load_state()
    assert "ตรวจรับรายงานไตรมาสที่ 1 ของโครงการ 2100-0012 แล้ว" in page.inner_text("main")
    page.fill("#id_project_score_score", "101")
    page.fill("#id_project_score_reason", "ดำเนินการได้ตามแผน เบิกจ่ายถูกต้อง")
    page.click("#form-project-score button[type=submit]")
    page.wait_for_load_state()
    assert "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100" in page.inner_text("#form-project-score")
    assert page.input_value("#id_project_score_reason") == "ดำเนินการได้ตามแผน เบิกจ่ายถูกต้อง"
    page.fill("#id_project_score_score", "85")
    page.click("#form-project-score button[type=submit]")
    page.wait_for_load_state()
    assert "บันทึกคะแนนไตรมาสที่ 1 ของโครงการ 2100-0012 แล้ว" in page.inner_text("main")
    page.goto(review_url)  # the save went back to the queue
    assert "85" in page.inner_text("#project-review-score")
    assert "สยป. ประเมินโครงการ : ไตรมาสที่ 1" in page.inner_text("#project-review-facts")
    assert_accessible(page, "the scored review page")
    shot(page, "review-scored")

    # 5. The database kept every step, the percents and the file.
    update.refresh_from_db()
    assert (update.status, update.score, update.score_reason) == (
        S.ACCEPTED, Decimal("85.00"), "ดำเนินการได้ตามแผน เบิกจ่ายถูกต้อง")
    assert update.reviewer_comment == "เบิกจ่ายเกินงบประมาณ โปรดตรวจสอบยอดเบิกจ่ายสะสม"
    rows = list(update.history.order_by("history_date", "history_id").values_list(
        "status", "score", "history_user__username"))
    # Submitted, returned, submitted again, accepted, then scored: in that order, each by its person.
    steps = [row[0] for i, row in enumerate(rows) if i == 0 or row[0] != rows[i - 1][0]]
    assert steps == [S.SUBMITTED, S.RETURNED, S.SUBMITTED, S.ACCEPTED], rows
    assert [row[0] for row in rows].count(S.ACCEPTED) >= 2  # the acceptance and the score are two rows
    assert rows[-1] == (S.ACCEPTED, Decimal("85.00"), "evaluator1")
    assert {row[2] for row in rows} == {"reporter2100", "evaluator1"}
    percents = dict(MilestoneProgress.objects.filter(update=update).values_list("milestone__order", "percent"))
    assert percents == {1: Decimal("100"), 2: Decimal("10")}
    evidence = ProjectEvidence.objects.get(project=project, quarter=1)
    assert evidence.original_name == "หนังสือเชิญประชุม.pdf" and evidence.removed_at is None
    with evidence.file.open("rb") as stored:
        assert stored.read() == PDF

    # The reporter sees the score on their quarter, now read-only.
    sign_in_as(page, "reporter2100")
    page.goto(form_url)
    assert "สยป. ประเมินโครงการ : ไตรมาสที่ 1" in page.inner_text("main")
    assert "85" in page.inner_text(".saved-score")
    expect(page.locator("#update-form")).to_have_count(0)
    assert_accessible(page, "the accepted update, read-only")
    shot(page, "update-accepted")

    # 6. The public project page shows the score, signed out.
    page.context.clear_cookies()
    page.goto("/public/2570/projects/2100-0012/")
    public = page.inner_text("main")
    assert "สยป. ประเมินโครงการ : ไตรมาสที่ 1" in public and "85" in public
    assert "ดำเนินการได้ตามแผน เบิกจ่ายถูกต้อง" not in public  # the reason stays inside
    assert_accessible(page, "the public project page")
    shot(page, "public")
