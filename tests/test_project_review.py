"""The evaluator's side of a project's quarterly update: the services
(projects/review.py: accept, return with a comment, score 0-100 with a
reason, reopen), their refusals, the version check and the history; the
review page and its actions through HTTP, and who may use them (matrix)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.workflow import StaleVersion
from projects import review
from projects import signals as project_signals
from projects.models import ProjectEvidence, ProjectUpdate
from projects.progress import DONE_WITHOUT_FINISH, OVER_BUDGET
from projects.workflow import edit_refusal
from tests.factories import (
    AgencyFactory,
    FiscalYearFactory,
    MilestoneFactory,
    ProjectFactory,
    ProjectUpdateFactory,
)
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
Status = ProjectUpdate.Status
ACTIONS = ("accept", "return", "score", "reopen")


def submitted_update(project=None, quarter=2, **fields):
    fields.setdefault("progress", Decimal("40"))
    fields.setdefault("disbursed", Decimal("30000"))
    fields.setdefault("planned_disbursement", Decimal("50000"))
    return ProjectUpdateFactory(project=project or ProjectFactory(), quarter=quarter, status=Status.SUBMITTED,
                                submitted_at=timezone.now(), version=3, **fields)


def accepted_update(**fields):
    return ProjectUpdateFactory(project=ProjectFactory(), quarter=2, status=Status.ACCEPTED, version=3,
                                progress=Decimal("50"), **fields)


def url_of(update, action=""):
    base = f"/review/projects/{update.project.fiscal_year.year}/{update.project.code}/{update.quarter}/"
    return f"{base}{action}/" if action else base


def messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- the services --------------------------------------------------------------

def test_accept_locks_the_update_and_records_who_and_when(evaluator):
    update = submitted_update()
    review.accept(update=update, user=evaluator, expected_version=3)
    update.refresh_from_db()
    assert update.status == Status.ACCEPTED and update.is_locked
    assert update.reviewed_by == evaluator and update.reviewed_at is not None
    assert update.version == 4


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED, Status.ACCEPTED, Status.NOT_STARTED])
def test_only_a_submitted_update_is_accepted_or_returned(evaluator, status):
    update = ProjectUpdateFactory(status=status, version=1)
    with pytest.raises(ValidationError) as accepting:
        review.accept(update=update, user=evaluator, expected_version=1)
    assert "ไม่ได้อยู่ในสถานะรอตรวจ" in messages_of(accepting.value)[0]
    with pytest.raises(ValidationError):
        review.return_for_correction(update=update, user=evaluator, expected_version=1, comment="แก้ไข")
    update.refresh_from_db()
    assert update.status == status and update.version == 1


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_needs_a_comment_in_thai(evaluator, comment):
    update = submitted_update()
    with pytest.raises(ValidationError) as refused:
        review.return_for_correction(update=update, user=evaluator, expected_version=3, comment=comment)
    assert refused.value.message_dict["comment"] == ["กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข"]
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED and update.version == 3


def test_return_keeps_the_comment_and_opens_the_quarter_for_the_agency(evaluator, make_user):
    update = submitted_update()
    review.return_for_correction(update=update, user=evaluator, expected_version=3, comment="กรุณาแนบภาพกิจกรรม")
    update.refresh_from_db()
    assert update.status == Status.RETURNED
    assert update.reviewer_comment == "กรุณาแนบภาพกิจกรรม"
    today = timezone.localdate()
    assert update.reopened_until == today + datetime.timedelta(days=review.CORRECTION_DAYS)
    # No reporting window is set at all: the correction date alone lets the
    # agency's reporter edit it again.
    reporter = make_user("reporter", [update.project.owner])
    assert edit_refusal(reporter, update.project, None, update, today) is None


def test_return_refuses_a_correction_date_in_the_past(evaluator):
    update = submitted_update()
    with pytest.raises(ValidationError) as refused:
        review.return_for_correction(update=update, user=evaluator, expected_version=3, comment="แก้ไข",
                                     correct_by=timezone.localdate() - datetime.timedelta(days=1))
    assert refused.value.message_dict["correct_by"] == ["วันที่ให้แก้ไขได้ถึงต้องไม่ก่อนวันนี้"]


def test_score_an_accepted_update_with_its_reason(evaluator):
    update = accepted_update()
    review.score(update=update, user=evaluator, expected_version=3, score="87.5", reason="ดำเนินการตามแผน")
    update.refresh_from_db()
    assert update.score == Decimal("87.50") and update.score_reason == "ดำเนินการตามแผน"
    assert update.status == Status.ACCEPTED


@pytest.mark.parametrize("score", ["0", "100", "0.00", "99.99"])
def test_the_ends_of_the_scale_are_scores(evaluator, score):
    update = accepted_update()
    review.score(update=update, user=evaluator, expected_version=3, score=score, reason="เหตุผล")
    update.refresh_from_db()
    assert update.score == Decimal(score)


@pytest.mark.parametrize(("score", "message"), [
    ("-1", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("100.01", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("abc", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("NaN", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("50.123", "คะแนนประเมินโครงการมีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
    ("", "กรุณาระบุคะแนนประเมินโครงการ"),
    (None, "กรุณาระบุคะแนนประเมินโครงการ"),
])
def test_a_bad_score_is_refused_in_thai(evaluator, score, message):
    update = accepted_update()
    with pytest.raises(ValidationError) as refused:
        review.score(update=update, user=evaluator, expected_version=3, score=score, reason="เหตุผล")
    assert refused.value.message_dict["score"] == [message]
    update.refresh_from_db()
    assert update.score is None and update.version == 3


def test_a_score_needs_a_reason(evaluator):
    update = accepted_update()
    with pytest.raises(ValidationError) as refused:
        review.score(update=update, user=evaluator, expected_version=3, score="80", reason=" ")
    assert refused.value.message_dict["reason"] == ["กรุณาระบุเหตุผลของคะแนน"]


def test_a_submitted_update_is_accepted_before_it_is_scored(evaluator):
    update = submitted_update()
    with pytest.raises(ValidationError) as refused:
        review.score(update=update, user=evaluator, expected_version=3, score="80", reason="เหตุผล")
    assert "ทำได้เฉพาะรายงานโครงการที่ตรวจรับแล้ว" in messages_of(refused.value)[0]


def test_reopen_needs_a_reason_then_returns_it_and_clears_the_score(evaluator, make_user):
    update = accepted_update(score=Decimal("90"), score_reason="ดี")
    with pytest.raises(ValidationError) as refused:
        review.reopen(update=update, user=evaluator, expected_version=3, reason="")
    assert refused.value.message_dict["reason"] == ["กรุณาระบุเหตุผลที่เปิดให้แก้ไขอีกครั้ง"]
    review.reopen(update=update, user=evaluator, expected_version=3, reason="ตัวเลขเบิกจ่ายไม่ตรงกับระบบ")
    update.refresh_from_db()
    assert update.status == Status.RETURNED and not update.is_locked
    assert update.reviewer_comment == "ตัวเลขเบิกจ่ายไม่ตรงกับระบบ"
    assert update.score is None and update.score_reason == ""
    reporter = make_user("reporter", [update.project.owner])
    assert edit_refusal(reporter, update.project, None, update, timezone.localdate()) is None


def test_only_an_accepted_update_is_reopened(evaluator):
    update = submitted_update()
    with pytest.raises(ValidationError):
        review.reopen(update=update, user=evaluator, expected_version=3, reason="เหตุผล")


CALLS = {
    "accept": lambda update, user: review.accept(update=update, user=user, expected_version=3),
    "return": lambda update, user: review.return_for_correction(update=update, user=user, expected_version=3,
                                                                comment="แก้ไข"),
    "score": lambda update, user: review.score(update=update, user=user, expected_version=3, score="50",
                                               reason="เหตุผล"),
    "reopen": lambda update, user: review.reopen(update=update, user=user, expected_version=3, reason="เหตุผล"),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", [None, "reporter", "manager", "administrator"])
def test_only_evaluators_may_act(make_user, role, action):
    update = submitted_update() if action in ("accept", "return") else accepted_update()
    user = make_user(role, [update.project.owner])
    with pytest.raises(PermissionDenied):
        CALLS[action](update, user)
    update.refresh_from_db()
    assert update.version == 3 and update.reviewed_by is None


@pytest.mark.parametrize("action", ACTIONS)
def test_a_write_based_on_an_older_version_is_refused(evaluator, action):
    update = submitted_update() if action in ("accept", "return") else accepted_update()
    # Someone saved after the evaluator loaded the page.
    ProjectUpdate.objects.filter(pk=update.pk).update(version=4, narrative="แก้ไขโดยผู้อื่น")
    with pytest.raises(StaleVersion):
        CALLS[action](update, evaluator)
    update.refresh_from_db()
    assert update.version == 4 and update.narrative == "แก้ไขโดยผู้อื่น" and update.reviewed_by is None


def test_a_replayed_action_is_refused(evaluator):
    update = submitted_update()
    review.accept(update=update, user=evaluator, expected_version=3)
    again = ProjectUpdate.objects.get(pk=update.pk)
    with pytest.raises(StaleVersion):
        review.score(update=again, user=evaluator, expected_version=3, score="10", reason="เหตุผล")
    with pytest.raises(StaleVersion):
        review.score(update=again, user=evaluator, expected_version="not-a-number", score="10", reason="เหตุผล")
    # A replayed accept meets the new state first.
    with pytest.raises(ValidationError):
        review.accept(update=again, user=evaluator, expected_version=3)


def test_every_action_is_in_the_history_with_who_and_why(evaluator):
    update = submitted_update()
    review.return_for_correction(update=update, user=evaluator, expected_version=3, comment="แนบภาพถ่าย")
    ProjectUpdate.objects.filter(pk=update.pk).update(status=Status.SUBMITTED)
    update.refresh_from_db()
    review.accept(update=update, user=evaluator, expected_version=4)
    review.score(update=update, user=evaluator, expected_version=5, score="75", reason="เบิกจ่ายช้า")
    review.reopen(update=update, user=evaluator, expected_version=6, reason="คะแนนผิด")
    # After the factory's own row (the update as submitted), one per action.
    created, *rows = update.history.order_by("history_date", "history_id")
    assert created.history_type == "+"
    assert [row.history_change_reason for row in rows] == [
        "ส่งกลับแก้ไขรายงานโครงการ ไตรมาสที่ 2: แนบภาพถ่าย",
        "ตรวจรับรายงานความคืบหน้าโครงการ ไตรมาสที่ 2",
        "ประเมินโครงการ ไตรมาสที่ 2 คะแนน 75.00 เหตุผล: เบิกจ่ายช้า",
        "เปิดให้แก้ไขรายงานโครงการ ไตรมาสที่ 2 อีกครั้ง: คะแนนผิด",
    ]
    assert all(row.history_user_id == evaluator.pk for row in rows)
    assert [row.status for row in rows] == [Status.RETURNED, Status.ACCEPTED, Status.ACCEPTED, Status.RETURNED]
    assert rows[2].score == Decimal("75.00")


def test_each_action_is_announced_once_with_its_name(evaluator):
    heard = []

    def listener(sender, update, action, user, **kwargs):
        heard.append((update.pk, action, user.pk))

    project_signals.update_reviewed.connect(listener)
    try:
        update = submitted_update()
        review.accept(update=update, user=evaluator, expected_version=3)
        with pytest.raises(ValidationError):
            review.score(update=update, user=evaluator, expected_version=4, score="101", reason="x")
        review.score(update=update, user=evaluator, expected_version=4, score="60", reason="x")
    finally:
        project_signals.update_reviewed.disconnect(listener)
    assert heard == [(update.pk, "accepted", evaluator.pk), (update.pk, "scored", evaluator.pk)]


# --- the page ------------------------------------------------------------------

def project_with_plan():
    year = FiscalYearFactory(year=2567)
    project = ProjectFactory(fiscal_year=year, name="โครงการรับฟังความคิดเห็นของประชาชน <b>ทดสอบ</b>",
                             budget_allocated=Decimal("100000.00"),
                             planned_start=datetime.date(2023, 10, 1), planned_finish=datetime.date(2024, 9, 30))
    return project


def test_the_review_page_shows_the_update_against_its_plan_and_budget(evaluator_client):
    project = project_with_plan()
    MilestoneFactory(project=project, name="ประชุมชี้แจง", weight=Decimal("50"),
                     planned_start=datetime.date(2023, 10, 1), planned_finish=datetime.date(2023, 12, 31))
    MilestoneFactory(project=project, name="ลงพื้นที่", weight=Decimal("50"),
                     planned_start=datetime.date(2024, 1, 1), planned_finish=datetime.date(2024, 6, 30))
    update = submitted_update(project, quarter=2, progress=Decimal("40"), disbursed=Decimal("120000"),
                              planned_disbursement=Decimal("60000"), narrative="จัดประชุม 6 กลุ่มเขต",
                              problems="ฝนตกหนัก", delay_reason="ผู้รับจ้างส่งงานล่าช้า",
                              warnings=[OVER_BUDGET, DONE_WITHOUT_FINISH], warnings_confirmed=True)
    response = evaluator_client.get(url_of(update))
    assert response.status_code == 200
    html = response.content.decode()
    # Q2 of 2567 ends 31 Mar 2024: the first activity is due (50), the
    # second 90 of its 181 days (49.72 % of its 50) → 74.86.
    assert re.search(r'id="project-review-progress">\s*40\.00\s*<', html)
    assert re.search(r'id="project-review-planned">\s*74\.86 ', html)
    assert 'id="project-review-behind"' in html
    assert re.search(r'id="project-review-allocated">\s*100,000\.00\s*<', html)
    assert re.search(r'id="project-review-planned-disbursement">\s*60,000\.00\s*<', html)
    assert "120,000.00" in html and "ร้อยละ 120.00 ของงบประมาณ" in page_text(response)
    text = page_text(response)
    assert "เบิกจ่ายสะสมสูงกว่างบประมาณที่ได้รับ" in text
    assert "ความคืบหน้าครบร้อยละ 100 แต่ยังไม่ได้ระบุวันสิ้นสุดจริง" in text
    assert "ผู้รายงานยืนยันว่าข้อมูลถูกต้อง" in text
    for words in ("จัดประชุม 6 กลุ่มเขต", "ฝนตกหนัก", "ผู้รับจ้างส่งงานล่าช้า", "ประชุมชี้แจง", "ลงพื้นที่"):
        assert words in text
    assert "&lt;b&gt;ทดสอบ&lt;/b&gt;" in html  # the name is escaped
    assert 'id="form-project-accept"' in html and 'id="form-project-return"' in html
    assert 'id="form-project-score"' not in html
    assert f'href="/projects/2567/{project.code}/"' in html


def test_the_review_page_lists_the_quarters_files_with_their_download(evaluator_client, evaluator):
    update = submitted_update()
    kept = ProjectEvidence.objects.create(project=update.project, quarter=2, file="x/a", original_name="ภาพ.png",
                                          content_type="image/png", size=2048, uploaded_by=evaluator)
    ProjectEvidence.objects.create(project=update.project, quarter=2, file="x/b", original_name="ลบแล้ว.pdf",
                                   content_type="application/pdf", size=10, removed_at=timezone.now())
    ProjectEvidence.objects.create(project=update.project, quarter=1, file="x/c", original_name="ไตรมาสอื่น.pdf",
                                   content_type="application/pdf", size=10)
    html = evaluator_client.get(url_of(update)).content.decode()
    assert f'<a href="/projects/evidence/{kept.pk}/">ภาพ.png</a>' in html
    assert "ลบแล้ว.pdf" not in html and "ไตรมาสอื่น.pdf" not in html


def test_an_accepted_update_offers_the_score_and_reopen(evaluator_client):
    update = accepted_update()
    html = evaluator_client.get(url_of(update)).content.decode()
    assert 'id="form-project-score"' in html and 'id="form-project-reopen"' in html
    assert 'id="form-project-accept"' not in html


def test_unknown_project_or_quarter_is_404(evaluator_client):
    update = submitted_update()
    assert evaluator_client.get(f"/review/projects/2567/0000-0000/{update.quarter}/").status_code == 404
    assert evaluator_client.get(url_of(update).replace("/2/", "/3/")).status_code == 404


def _page_queries(client, update):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url_of(update)).status_code == 200
    return len(ctx.captured_queries)


def test_the_review_page_query_count_is_fixed(evaluator_client, evaluator, django_assert_num_queries):
    update = submitted_update()
    MilestoneFactory(project=update.project)
    small = _page_queries(evaluator_client, update)
    for n in range(12):
        MilestoneFactory(project=update.project)
        ProjectEvidence.objects.create(project=update.project, quarter=2, file=f"x/{n}", original_name=f"{n}.pdf",
                                       content_type="application/pdf", size=10, uploaded_by=evaluator)
    update.narrative = "ใหม่"
    update.save()
    with django_assert_num_queries(small):
        evaluator_client.get(url_of(update))


def test_accept_then_score_through_the_page(evaluator_client):
    update = submitted_update()
    response = evaluator_client.post(url_of(update, "accept"), {"version": 3})
    assert response.status_code == 302 and response["Location"] == url_of(update) + "#actions"
    response = evaluator_client.post(url_of(update, "score"), {"version": 4, "score": "92.5", "reason": "ตามแผน"})
    assert response.status_code == 302 and response["Location"] == "/review/?kind=projects#main"
    update.refresh_from_db()
    assert update.status == Status.ACCEPTED and update.score == Decimal("92.50")
    page = page_text(evaluator_client.get(url_of(update)))
    assert "สยป. ประเมินโครงการ : ไตรมาสที่ 2 92.50" in page


@pytest.mark.parametrize(("score", "message"), [
    ("101", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("-5", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("สิบ", "คะแนนประเมินโครงการต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("", "กรุณาระบุคะแนนประเมินโครงการ"),
])
def test_a_bad_score_through_the_page_keeps_what_was_typed(evaluator_client, score, message):
    update = accepted_update()
    response = evaluator_client.post(url_of(update, "score"), {"version": 3, "score": score,
                                                               "reason": "เหตุผลที่พิมพ์ไว้"})
    assert response.status_code == 400
    assert message in page_text(response)
    assert "เหตุผลที่พิมพ์ไว้" in response.content.decode()
    update.refresh_from_db()
    assert update.score is None and update.version == 3


def test_return_without_comment_through_the_page_gets_a_thai_message(evaluator_client):
    update = submitted_update()
    response = evaluator_client.post(url_of(update, "return"), {"version": 3, "comment": "  "})
    assert response.status_code == 400
    assert "กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข" in page_text(response)
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED


def test_return_and_reopen_through_the_page(evaluator_client):
    update = submitted_update()
    response = evaluator_client.post(url_of(update, "return"), {"version": 3, "comment": "แนบใบเสร็จ"})
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.status == Status.RETURNED and update.reviewer_comment == "แนบใบเสร็จ"
    accepted = accepted_update()
    response = evaluator_client.post(url_of(accepted, "reopen"), {"version": 3, "reason": "ข้อมูลไม่ครบ"})
    assert response.status_code == 302
    accepted.refresh_from_db()
    assert accepted.status == Status.RETURNED


def test_an_old_page_is_refused_and_the_typed_comment_kept(evaluator_client):
    update = submitted_update()
    ProjectUpdate.objects.filter(pk=update.pk).update(version=4, narrative="ข้อความล่าสุดของหน่วยงาน")
    response = evaluator_client.post(url_of(update, "return"), {"version": 3, "comment": "ความเห็นที่พิมพ์"})
    assert response.status_code == 400
    text = page_text(response)
    assert "ข้อมูลไตรมาสนี้ถูกเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้" in text
    assert "ข้อความล่าสุดของหน่วยงาน" in text and "ความเห็นที่พิมพ์" in response.content.decode()
    assert 'name="version" value="4"' in response.content.decode()
    update.refresh_from_db()
    assert update.status == Status.SUBMITTED


def test_the_page_shows_the_history_with_who_and_why(evaluator_client, evaluator):
    update = submitted_update()
    review.return_for_correction(update=update, user=evaluator, expected_version=3, comment="แนบภาพถ่าย")
    text = page_text(evaluator_client.get(url_of(update)))
    assert "ส่งกลับแก้ไขรายงานโครงการ ไตรมาสที่ 2: แนบภาพถ่าย" in text
    assert evaluator.username in text


def test_actions_need_post(evaluator_client):
    update = submitted_update()
    for action in ACTIONS:
        assert evaluator_client.get(url_of(update, action)).status_code == 405


# --- who may: every review URL, GET and POST -----------------------------------

@pytest.fixture
def matrix_update():
    return submitted_update(project=ProjectFactory(owner=AgencyFactory()))


def _who(make_user, who, update):
    if who == "reporter_own":
        return make_user("reporter", [update.project.owner])
    if who == "reporter_other":
        return make_user("reporter", [AgencyFactory()])
    return make_user(who, [update.project.owner])


@pytest.mark.parametrize("who", ["reporter_own", "reporter_other", "manager", "administrator"])
def test_only_evaluators_reach_any_project_review_url(client, make_user, matrix_update, who):
    client.force_login(_who(make_user, who, matrix_update))
    assert client.get(url_of(matrix_update)).status_code == 403
    # An unknown project is refused before it is looked up.
    assert client.get("/review/projects/2567/0000-0000/1/").status_code == 403
    for action in ACTIONS:
        data = {"version": 3, "comment": "x", "reason": "x", "score": "50"}
        assert client.post(url_of(matrix_update, action), data).status_code == 403
    matrix_update.refresh_from_db()
    assert matrix_update.status == Status.SUBMITTED and matrix_update.version == 3


def test_signed_out_visitors_are_sent_to_sign_in(client, matrix_update):
    for url in [url_of(matrix_update), *[url_of(matrix_update, a) for a in ACTIONS]]:
        response = client.post(url, {"version": 3}) if url != url_of(matrix_update) else client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    matrix_update.refresh_from_db()
    assert matrix_update.version == 3


def test_an_evaluator_reaches_every_url(evaluator_client, matrix_update):
    assert evaluator_client.get(url_of(matrix_update)).status_code == 200
    assert evaluator_client.post(url_of(matrix_update, "accept"), {"version": 3}).status_code == 302
