"""In a real browser: an evaluator finds a project update in the queue under
ประเภท โครงการ, accepts it and scores it; both pages pass axe."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from projects.models import ProjectUpdate
from projects.progress import OVER_BUDGET
from tests.factories import FiscalYearFactory, MilestoneFactory, ProjectFactory, ProjectUpdateFactory, UserFactory

from .a11y import assert_accessible

SHOTS = "/tmp/p-review-shots"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_evaluator_accepts_and_scores_a_project_update(page, login):
    UserFactory(username="evaluator1", role="evaluator")
    project = ProjectFactory(fiscal_year=FiscalYearFactory(year=2567), code="2100-0012",
                             name="โครงการรับฟังความคิดเห็นของประชาชนเพื่อกำหนดนโยบายการพัฒนาเชิงพื้นที่ของสำนักงานเขต",
                             planned_start=datetime.date(2023, 10, 1), planned_finish=datetime.date(2024, 9, 30))
    MilestoneFactory(project=project, name="ประชุมชี้แจง", weight=Decimal("40"),
                     planned_start=datetime.date(2023, 10, 1), planned_finish=datetime.date(2023, 12, 31))
    MilestoneFactory(project=project, name="ลงพื้นที่รับฟังความคิดเห็น", weight=Decimal("60"),
                     planned_start=datetime.date(2024, 1, 1), planned_finish=datetime.date(2024, 9, 30))
    update = ProjectUpdateFactory(project=project, quarter=2, status=ProjectUpdate.Status.SUBMITTED, version=1,
                                  submitted_at=timezone.now(), progress=Decimal("45"), disbursed=Decimal("120000"),
                                  planned_disbursement=Decimal("50000"), narrative="จัดประชุมครบ 6 กลุ่มเขต",
                                  problems="ฝนตก", delay_reason="ผู้รับจ้างส่งงานช้า", warnings=[OVER_BUDGET],
                                  warnings_confirmed=True)
    login("evaluator1", "pass-1234-word")
    page.goto("/review/?kind=projects")
    assert page.locator("#project-queue-count").inner_text().strip() == "พบ 1 รายการ"
    assert_accessible(page, "queue")
    page.screenshot(path=f"{SHOTS}/queue.png", full_page=True)

    page.click("#project-review-queue a:has-text('2100-0012')")
    assert "เบิกจ่ายสะสมสูงกว่างบประมาณที่ได้รับ" in page.inner_text("#project-review-warnings")
    assert_accessible(page, "review page")
    page.screenshot(path=f"{SHOTS}/review.png", full_page=True)

    page.click("#form-project-accept button[type=submit]")
    assert "ตรวจรับรายงานไตรมาสที่ 2 ของโครงการ 2100-0012 แล้ว" in page.inner_text("main")
    page.fill("#id_project_score_score", "150")
    page.fill("#id_project_score_reason", "ดำเนินการได้ตามแผน")
    page.click("#form-project-score button[type=submit]")
    assert "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100" in page.inner_text("#form-project-score")
    assert page.input_value("#id_project_score_reason") == "ดำเนินการได้ตามแผน"
    page.fill("#id_project_score_score", "85")
    page.click("#form-project-score button[type=submit]")
    assert "บันทึกคะแนนไตรมาสที่ 2 ของโครงการ 2100-0012 แล้ว" in page.inner_text("main")
    update.refresh_from_db()
    assert update.status == ProjectUpdate.Status.ACCEPTED and update.score == Decimal("85.00")
