"""History: every change to results, narratives and evidence is kept with
who, when and old -> new, and shown on the indicator's "ประวัติการแก้ไข" page."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import QuarterResult
from reports.models import Evidence, Narrative

from .entry_support import open_indicator, png_file, post_report, set_window
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def indicator(db):
    return open_indicator()


@pytest.fixture
def reporter(make_user, indicator):
    user = make_user("reporter", [indicator.owner])
    user.first_name, user.last_name = "สมศรี", "รายงานผล"
    user.save()
    return user


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


def history_url(indicator):
    return f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/history/"


def test_each_save_keeps_who_when_and_the_old_value(reporter_client, reporter, indicator):
    post_report(reporter_client, indicator, value="10", narrative="ร่างแรก")
    post_report(reporter_client, indicator, value="12", narrative="ฉบับส่ง", action="submit")

    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    rows = list(result.history.order_by("history_date"))
    assert [(r.value, r.status, r.version) for r in rows] == [
        (Decimal("10"), "draft", 1),
        (Decimal("12"), "submitted", 2),
    ]
    assert {r.history_user for r in rows} == {reporter}
    assert [r.history_change_reason for r in rows] == ["บันทึกฉบับร่าง", "ส่งผลการดำเนินงาน"]

    narrative = Narrative.objects.get(indicator=indicator)
    assert [h.text for h in narrative.history.order_by("history_date")] == ["ร่างแรก", "ฉบับส่ง"]


def test_unchanged_narrative_adds_no_history_row(reporter_client, indicator):
    post_report(reporter_client, indicator, value="1", narrative="เหมือนเดิม")
    post_report(reporter_client, indicator, value="2", narrative="เหมือนเดิม")
    assert Narrative.objects.get(indicator=indicator).history.count() == 1
    assert QuarterResult.objects.get(indicator=indicator).history.count() == 2


def test_refused_save_leaves_no_history(reporter_client, indicator):
    post_report(reporter_client, indicator, value="1", narrative="ก")
    post_report(reporter_client, indicator, version=0, value="2", narrative="ข")  # stale
    assert QuarterResult.history.filter(indicator_id=indicator.pk).count() == 1
    assert Narrative.history.filter(indicator_id=indicator.pk).count() == 1


def test_history_page_shows_old_and_new(reporter_client, indicator):
    post_report(reporter_client, indicator, value="10", narrative="ร่างแรก", files=[png_file("ภาพเดิม.png")])
    evidence = Evidence.objects.get()
    post_report(reporter_client, indicator, value="1,200", narrative="ฉบับแก้", remove_evidence=[evidence.pk],
                action="submit", confirm_plausible="on")

    response = reporter_client.get(history_url(indicator))
    assert response.status_code == 200
    text = page_text(response)
    assert "ประวัติการแก้ไข" in text
    assert "ผลงาน: 10 → 1,200" in text
    assert "สถานะ: ฉบับร่าง → ส่งแล้ว รอตรวจ" in text
    assert "ส่งผลการดำเนินงาน" in text  # the change reason
    assert "สมศรี รายงานผล" in text
    assert "แนบไฟล์: - → ภาพเดิม.png" in text
    assert "ลบไฟล์ ไฟล์หลักฐาน “ภาพเดิม.png”" in text
    assert "ร่างแรก" in text and "ฉบับแก้" in text  # narratives old and new
    # Newest first.
    assert text.index("ลบไฟล์") < text.index("แนบไฟล์")


def test_history_escapes_html(reporter_client, indicator):
    post_report(reporter_client, indicator, narrative="<script>alert(1)</script>")
    page = reporter_client.get(history_url(indicator)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_history_of_evaluator_changes_is_shown_too(reporter_client, indicator, make_user):
    """Scores and comments written by issue 4's services land in the same history."""
    post_report(reporter_client, indicator, value="5", action="submit")
    result = QuarterResult.objects.get(indicator=indicator)
    result.status = "returned"
    result.reviewer_comment = "โปรดแนบหลักฐานเพิ่ม"
    result._history_user = make_user("evaluator")
    result.save()
    text = page_text(reporter_client.get(history_url(indicator)))
    assert "สถานะ: ส่งแล้ว รอตรวจ → ส่งกลับแก้ไข" in text
    assert "โปรดแนบหลักฐานเพิ่ม" in text


def test_detail_page_links_to_history(reporter_client, indicator):
    assert history_url(indicator) in reporter_client.get(indicator.get_absolute_url()).content.decode()


def test_history_query_count_is_fixed(reporter_client, indicator):
    post_report(reporter_client, indicator, value="1", narrative="ก", files=[png_file()])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert reporter_client.get(history_url(indicator)).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for quarter in (2, 3):
        set_window(indicator, quarter)
        for n in range(3):
            post_report(reporter_client, indicator, quarter, value=str(n + 2), narrative=f"ข้อความ {n}",
                        files=[png_file()])
    assert count() == small
