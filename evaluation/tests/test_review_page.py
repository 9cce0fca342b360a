"""One quarter's review page and its actions through HTTP, as an evaluator
meets them, and every refusal a wrong user, a bad input or an old page gets."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from indicators.models import QuarterResult
from reports.models import Evidence, Narrative
from tests.entry_support import png_bytes
from tests.factories import (
    AgencyFactory,
    DistrictGroupFactory,
    IndicatorFactory,
    NarrativeFactory,
    QuarterResultFactory,
)
from tests.helpers import page_text
from tests.pytest_fixtures import SEED_CODE, SEED_URL

Status = QuarterResult.Status
SEED_Q4 = f"/review/2563/{SEED_CODE}/4/"


def seed_q4(seed):
    return QuarterResult.objects.get(indicator=seed, quarter=4)


def submitted_quarter(quarter=2, value="40"):
    indicator = IndicatorFactory(annual_target=Decimal("80"))
    return QuarterResultFactory(indicator=indicator, quarter=quarter, value=Decimal(value),
                                status=Status.SUBMITTED, submitted_at=timezone.now(), version=2)


def url_of(result, action=""):
    base = f"/review/{result.indicator.fiscal_year.year}/{result.indicator.code}/{result.quarter}/"
    return f"{base}{action}/" if action else base


def quarter_table(response):
    html = response.content.decode()
    table = html[html.index('class="table table-bordered'):html.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [[re.sub(r"\s+", " ", strip_tags(c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows]


@pytest.fixture
def manager_view(db, make_user):
    """A manager's own client (the `client` fixture is the evaluator's here)."""
    manager = Client()
    manager.force_login(make_user("manager"))
    return manager


# --- the page ----------------------------------------------------------------

def test_review_page_shows_value_target_achievement_score_and_report(seed, evaluator_client):
    group = DistrictGroupFactory(name="กลุ่มทดสอบใต้")
    NarrativeFactory(indicator=seed, quarter=4, district_group=group, text="ส่วนรายงานของกลุ่มทดสอบ")
    response = evaluator_client.get(SEED_Q4)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'id="review-value">\s*70\s*<', html)
    assert re.search(r'id="review-target">\s*6 ', html)
    assert re.search(r'id="review-achievement">\s*100\.00\s*<', html)
    assert re.search(r'id="review-score-self">\s*100\.00\s*<', html)
    assert "รอการประเมิน" in re.search(r'id="review-score-confirmed">(.*?)</dd>', html, re.S).group(1)
    text = page_text(response)
    assert "ส่งแล้ว รอตรวจ" in text
    assert "1. กลุ่มกรุงธนใต้ ดำเนินการเก็บรวบรวมข้อมูล" in text  # the seed's quarter 4 report
    assert text.index("กลุ่มทดสอบใต้") < text.index("ส่วนรายงานของกลุ่มทดสอบ")
    # Quarter 4 is scored, not accepted: the score form suggests 2.1.
    assert 'id="form-score"' in html and 'id="form-accept"' not in html
    assert re.search(r'name="score" value="100(\.00)?"', html)
    assert 'id="form-return"' in html


def test_review_page_lists_the_quarters_evidence_by_name(seed, evaluator_client):
    def evidence(name, quarter=4, **fields):
        return Evidence.objects.create(indicator=seed, quarter=quarter, file=f"evidence/{seed.pk}/x",
                                       original_name=name, content_type="application/pdf", size=2048, **fields)

    evidence("หนังสือเชิญประชุม.pdf")
    evidence("ภาพถ่าย<กิจกรรม>.jpg")
    evidence("ไฟล์ที่ลบแล้ว.pdf", removed_at=timezone.now())
    evidence("ไตรมาสที่ 3.pdf", quarter=3)
    html = evaluator_client.get(SEED_Q4).content.decode()
    listed = re.search(r'id="review-evidence">(.*?)</ul>', html, re.S).group(1)
    assert "หนังสือเชิญประชุม.pdf" in listed
    assert "ภาพถ่าย&lt;กิจกรรม&gt;.jpg" in listed  # escaped
    assert "ไฟล์ที่ลบแล้ว.pdf" not in listed and "ไตรมาสที่ 3.pdf" not in listed


@pytest.mark.usefixtures("media_root")
def test_evaluator_opens_each_evidence_file_from_the_review_page(seed, evaluator_client, client, make_user):
    from django.core.files.base import ContentFile

    def stored(name, content, content_type):
        item = Evidence(indicator=seed, quarter=4, original_name=name, content_type=content_type, size=len(content))
        item.file.save("upload", ContentFile(content), save=True)
        return item

    pdf = stored("หนังสือเชิญประชุม.pdf", b"%PDF-1.4\n%%EOF\n" + b"x" * 2048, "application/pdf")
    photo = stored("ภาพกิจกรรม.png", png_bytes(), "image/png")
    html = evaluator_client.get(SEED_Q4).content.decode()
    listed = re.search(r'id="review-evidence">(.*?)</ul>', html, re.S).group(1)
    links = dict((name, href) for href, name in re.findall(r'<a href="([^"]+)">([^<]+)</a>', listed))
    assert set(links) == {"หนังสือเชิญประชุม.pdf", "ภาพกิจกรรม.png"}
    assert re.sub(r"\s+", " ", strip_tags(listed)).count("หนังสือเชิญประชุม.pdf · PDF · 2 KB") == 1  # type and size
    assert "รูปภาพ PNG" in listed
    for item in (pdf, photo):
        response = evaluator_client.get(links[item.original_name])
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == item.file.open("rb").read()
    # The same link refuses a reporter of another agency, as everywhere.
    client.force_login(make_user("reporter", agencies=[AgencyFactory()]))
    assert client.get(links[pdf.original_name]).status_code == 403


def test_review_page_shows_the_history_with_who_and_why(seed, evaluator_client, evaluator):
    evaluator.first_name, evaluator.last_name = "สมชาย", "ตรวจประเมิน"
    evaluator.save()
    result = seed_q4(seed)
    evaluator_client.post(SEED_Q4 + "return/", {"version": result.version, "comment": "ขอภาพถ่ายกิจกรรมกลุ่มกรุงเทพใต้"})
    narrative = Narrative.objects.get(indicator=seed, quarter=4, district_group=None)
    narrative.text += " แก้ไขเพิ่มเติม"
    narrative._change_reason = "เพิ่มผลกลุ่มกรุงเทพใต้"
    narrative.save()
    html = evaluator_client.get(SEED_Q4).content.decode()
    history = strip_tags(re.search(r'id="review-history">(.*?)</table>', html, re.S).group(1))
    history = re.sub(r"\s+", " ", history)
    assert "สมชาย ตรวจประเมิน" in history
    assert "ส่งกลับแก้ไข" in history and "ขอภาพถ่ายกิจกรรมกลุ่มกรุงเทพใต้" in history
    assert "รายงานผล" in history and "เพิ่มผลกลุ่มกรุงเทพใต้" in history


def test_unknown_quarter_is_404(seed, evaluator_client):
    assert evaluator_client.get(f"/review/2563/{SEED_CODE}/5/").status_code == 404
    assert evaluator_client.get("/review/2563/0000-0000/4/").status_code == 404


def test_review_page_query_count_is_fixed(seed, evaluator_client):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert evaluator_client.get(SEED_Q4).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for group in DistrictGroupFactory.create_batch(6):
        NarrativeFactory(indicator=seed, quarter=4, district_group=group)
    for n in range(5):
        Evidence.objects.create(indicator=seed, quarter=4, file="evidence/x", original_name=f"{n}.pdf",
                                content_type="application/pdf", size=1)
    result = seed_q4(seed)
    for n in range(5):
        result.value = Decimal(70 + n)
        result.save()
    assert queries() == small


# --- actions through HTTP ----------------------------------------------------------

def test_accept_quarter_through_the_page(db, evaluator_client):
    result = submitted_quarter(quarter=2, value="60")  # 75
    response = evaluator_client.post(url_of(result, "accept"), {"version": 2}, follow=True)
    assert response.redirect_chain[-1][0] == "/review/#main"
    assert "ตรวจรับไตรมาสที่ 2" in page_text(response)
    result.refresh_from_db()
    assert (result.status, result.score_self, result.score_confirmed) == (Status.ACCEPTED, Decimal("75"), Decimal("75"))
    # The accepted quarter is locked: only reopening is offered now.
    html = evaluator_client.get(url_of(result)).content.decode()
    assert 'id="form-reopen"' in html and 'id="form-accept"' not in html and "ล็อกแล้ว" in html


def test_seed_quarter_four_scored_through_the_page_shows_on_the_sheet(seed, evaluator_client, manager_view):
    before = quarter_table(manager_view.get(SEED_URL))
    assert before == [
        ["1", "6", "20", "100.00", "100.00 / 100.00"],
        ["2", "6", "20", "100.00", "100.00 / 100.00"],
        ["3", "6", "70", "100.00", "100.00 / 100.00"],
        ["4", "6", "70", "รอการประเมิน", "รอการประเมิน"],
    ]
    assert "สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: รอการประเมิน" in page_text(manager_view.get(SEED_URL))

    result = seed_q4(seed)
    response = evaluator_client.post(SEED_Q4 + "score/", {
        "version": result.version, "score": "90", "reason": "รายงานของกลุ่มกรุงเทพตะวันออกยังเป็นกำหนดการ",
    })
    assert response.status_code == 302

    after = manager_view.get(SEED_URL)
    assert quarter_table(after)[3] == ["4", "6", "70", "100.00", "100.00 / 90.00"]
    text = page_text(after)
    assert "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 90" in text
    assert re.search(r'id="year-status">.*บรรลุเป้าหมาย', after.content.decode(), re.S)
    result.refresh_from_db()
    assert result.is_locked and result.reviewed_by is not None


def test_a_year_below_target_is_not_met_once_scored(db, evaluator_client, manager_view):
    result = submitted_quarter(quarter=4, value="60")  # 60 of 80
    evaluator_client.post(url_of(result, "score"), {"version": 2, "score": "75"})
    response = manager_view.get(result.indicator.get_absolute_url())
    assert quarter_table(response)[3] == ["4", "80", "60", "75.00", "75.00 / 75.00"]
    assert re.search(r'id="year-status">.*ไม่บรรลุเป้าหมาย', response.content.decode(), re.S)
    assert "สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 75" in page_text(response)


def test_a_score_of_zero_shows_as_zero_not_pending(seed, evaluator_client, manager_view):
    result = seed_q4(seed)
    evaluator_client.post(SEED_Q4 + "score/", {"version": result.version, "score": "0", "reason": "ไม่มีหลักฐาน"})
    assert "สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 0.00 " in page_text(manager_view.get(SEED_URL))


@pytest.mark.parametrize("score,message", [
    ("101", "คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("-1", "คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("เก้าสิบ", "คะแนน 2.2 ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 100"),
    ("", "กรุณาระบุคะแนน 2.2"),
    ("90.125", "คะแนน 2.2 มีทศนิยมได้ไม่เกิน 2 ตำแหน่ง"),
])
def test_a_bad_score_gets_a_thai_message_and_keeps_what_was_typed(seed, evaluator_client, score, message):
    result = seed_q4(seed)
    response = evaluator_client.post(SEED_Q4 + "score/", {"version": result.version, "score": score,
                                                          "reason": "เหตุผลที่พิมพ์ไว้"})
    assert response.status_code == 400
    assert message in page_text(response)
    assert "เหตุผลที่พิมพ์ไว้" in response.content.decode()
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED and result.score_confirmed is None


def test_a_different_score_without_reason_gets_a_thai_message(seed, evaluator_client):
    result = seed_q4(seed)
    response = evaluator_client.post(SEED_Q4 + "score/", {"version": result.version, "score": "85", "reason": ""})
    assert response.status_code == 400
    assert "คะแนน 2.2 (85.00) ต่างจากคะแนน 2.1 (100.00) กรุณาระบุเหตุผล" in page_text(response)
    assert 'value="85"' in response.content.decode()
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def test_return_without_comment_gets_a_thai_message(seed, evaluator_client):
    result = seed_q4(seed)
    response = evaluator_client.post(SEED_Q4 + "return/", {"version": result.version, "comment": "   "})
    assert response.status_code == 400
    assert "กรุณาระบุความเห็นที่ต้องการให้หน่วยงานแก้ไข" in page_text(response)
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def test_return_then_accept_the_corrected_quarter(db, evaluator_client):
    result = submitted_quarter(quarter=3, value="40")
    response = evaluator_client.post(url_of(result, "return"), {"version": 2, "comment": "ผลงานไม่ตรงกับหลักฐาน"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == Status.RETURNED and result.reviewer_comment == "ผลงานไม่ตรงกับหลักฐาน"
    # The agency corrects and submits again (the data-entry feature's job).
    result.value, result.status, result.version = Decimal("64"), Status.SUBMITTED, result.version + 1
    result.save()
    evaluator_client.post(url_of(result, "accept"), {"version": result.version})
    result.refresh_from_db()
    assert result.status == Status.ACCEPTED and result.score_confirmed == Decimal("80")


def test_reopen_needs_a_reason_then_unlocks(db, evaluator_client):
    result = submitted_quarter(quarter=1)
    evaluator_client.post(url_of(result, "accept"), {"version": 2})
    response = evaluator_client.post(url_of(result, "reopen"), {"version": 3, "reason": ""})
    assert response.status_code == 400
    assert "กรุณาระบุเหตุผลที่เปิดให้แก้ไขอีกครั้ง" in page_text(response)
    result.refresh_from_db()
    assert result.status == Status.ACCEPTED
    response = evaluator_client.post(url_of(result, "reopen"), {"version": 3, "reason": "หน่วยงานขอแก้ตัวเลข"})
    assert response.status_code == 302
    result.refresh_from_db()
    assert result.status == Status.RETURNED and not result.is_locked


def test_an_old_page_is_refused_and_the_typed_comment_kept(seed, evaluator_client):
    result = seed_q4(seed)
    old_version = result.version
    QuarterResult.objects.filter(pk=result.pk).update(value=Decimal("71"), version=old_version + 1)
    response = evaluator_client.post(SEED_Q4 + "return/", {"version": old_version, "comment": "ความเห็นยาวที่พิมพ์ไว้"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "ถูกเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้" in page_text(response)
    assert "ความเห็นยาวที่พิมพ์ไว้" in html
    assert re.search(r'id="review-value">\s*71\s*<', html)  # the latest data is shown
    # The form now carries the current version: sending again on purpose works.
    form = html[html.index('id="form-return"'):]
    assert f'name="version" value="{old_version + 1}"' in form[:form.index("</form>")]
    result.refresh_from_db()
    assert result.status == Status.SUBMITTED


def test_a_replayed_post_changes_nothing(db, evaluator_client):
    result = submitted_quarter(quarter=1)
    evaluator_client.post(url_of(result, "accept"), {"version": 2})
    result.refresh_from_db()
    state = (result.status, result.version, result.reviewed_at)
    response = evaluator_client.post(url_of(result, "accept"), {"version": 2})
    assert response.status_code == 400
    # The accept form is gone (the quarter is locked); the refusal still shows.
    html = response.content.decode()
    assert 'id="form-accept"' not in html
    errors = re.search(r'id="review-errors">(.*?)</div>', html, re.S).group(1)
    assert "ไม่ได้อยู่ในสถานะรอตรวจ (สถานะปัจจุบัน: ตรวจรับแล้ว)" in errors
    result.refresh_from_db()
    assert (result.status, result.version, result.reviewed_at) == state


def test_actions_need_post(seed, evaluator_client):
    for action in ("accept", "score", "return", "reopen"):
        assert evaluator_client.get(SEED_Q4 + f"{action}/").status_code == 405


# --- who may act -------------------------------------------------------------------

ACTION_POSTS = {
    "score": {"score": "0", "reason": "x"},
    "return": {"comment": "x"},
}


@pytest.mark.parametrize("role", [None, "reporter", "manager", "administrator"])
def test_only_evaluators_review_by_any_route(seed, client, make_user, role):
    """A reporter of the owning agency (or anyone not an evaluator) gets 403
    for the page and for every action, even replaying a valid evaluator POST."""
    client.force_login(make_user(role, agencies=[seed.owner]))
    result = seed_q4(seed)
    assert client.get(SEED_Q4).status_code == 403
    for action, data in ACTION_POSTS.items():
        assert client.post(SEED_Q4 + f"{action}/", {"version": result.version, **data}).status_code == 403
    accepted = QuarterResult.objects.get(indicator=seed, quarter=3)
    assert client.post(f"/review/2563/{SEED_CODE}/3/reopen/", {"version": accepted.version,
                                                               "reason": "x"}).status_code == 403
    assert client.post(f"/review/2563/{SEED_CODE}/3/accept/", {"version": accepted.version}).status_code == 403
    result.refresh_from_db()
    accepted.refresh_from_db()
    assert result.status == Status.SUBMITTED and result.score_confirmed is None
    assert accepted.status == Status.ACCEPTED


def test_signed_out_posts_are_sent_to_sign_in(seed, client):
    response = client.post(SEED_Q4 + "score/", {"version": 1, "score": "0", "reason": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert seed_q4(seed).score_confirmed is None


# --- the detail page ------------------------------------------------------------------

def test_detail_page_links_each_quarter_to_review_for_evaluators_only(seed, evaluator_client, manager_view):
    html = evaluator_client.get(SEED_URL).content.decode()
    links = re.search(r'id="review-links">(.*?)</p>', html, re.S).group(1)
    assert [f"/review/2563/{SEED_CODE}/{q}/" for q in (1, 2, 3, 4)] == re.findall(r'href="([^"]+)"', links)
    assert "รอตรวจ" in links
    assert 'id="review-links"' not in manager_view.get(SEED_URL).content.decode()


def test_detail_page_shows_a_returned_quarters_comment(seed, evaluator_client, make_user):
    result = seed_q4(seed)
    evaluator_client.post(SEED_Q4 + "return/", {"version": result.version, "comment": "ขอ <b>หลักฐาน</b> เพิ่ม"})
    reporter = Client()
    reporter.force_login(make_user("reporter", agencies=[seed.owner]))
    html = reporter.get(SEED_URL).content.decode()
    notice = re.search(r'id="returned-q4"(.*?)</div>', html, re.S).group(1)
    assert "ไตรมาสที่ 4 ถูกส่งกลับให้แก้ไข" in notice
    assert "ขอ &lt;b&gt;หลักฐาน&lt;/b&gt; เพิ่ม" in notice


def test_quarter_four_shows_the_four_quarters_beside_the_scoring_form_before_the_report(seed, evaluator_client):
    """Issue 29, point 13: the four quarters in brief (target, result, 2.1 / 2.2,
    status) come right before the scoring form, which comes before the long
    report; a link at the top leads to the form."""
    html = evaluator_client.get(SEED_Q4).content.decode()
    table = html[html.index('id="review-quarters"'):]
    table = table[:table.index("</table>")]
    rows = [[page_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.split("<tbody>")[1], re.S)]
    assert rows == [
        ["1", "6", "20", "100.00 / 100.00", "ตรวจรับแล้ว"],
        ["2", "6", "20", "100.00 / 100.00", "ตรวจรับแล้ว"],
        ["3", "6", "70", "100.00 / 100.00", "ตรวจรับแล้ว"],
        ["4 (ไตรมาสที่ตรวจ)", "6", "70", "100.00 / -", "ส่งแล้ว รอตรวจ"],
    ]
    assert 'data-quarter="4" class="table-primary" aria-current="true"' in table
    assert html.index('id="review-quarters"') < html.index('id="form-score"') < html.index('id="review-narrative"')
    assert html.index('id="to-actions"') < html.index('id="review-facts"')
    assert re.search(r'<a href="#actions" id="to-actions">ไปที่การตรวจประเมิน</a>', html)
    assert 'id="actions"' in html
