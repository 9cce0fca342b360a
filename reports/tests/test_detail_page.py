import html
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from indicators.models import QuarterResult, StrategyNode
from reports.models import Evidence, Narrative
from tests.factories import (
    DistrictGroupFactory,
    IndicatorFactory,
    NarrativeFactory,
    QuarterResultFactory,
    StrategyNodeFactory,
)
from tests.pytest_fixtures import SEED_SECTION_LABELS, SEED_URL

# The old site's page, kept as the project's test data (docs/domain.md).
SEED_FILE = Path(__file__).resolve().parents[2] / "tests" / "data" / "seed" / "indicator-2100-1037.txt"


def visible_text(response):
    return re.sub(r"\s+", " ", strip_tags(response.content.decode()))


def test_seed_page_shows_the_seed_values(seed, manager_client):
    response = manager_client.get(SEED_URL)
    assert response.status_code == 200
    html = response.content.decode()
    text = visible_text(response)
    assert "กลุ่มการปฏิบัติงานของสำนักงานเขตมีรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่ : 2100-1037" in text
    assert re.search(r'id="annual-target">\s*6\s*<', html)
    assert re.search(r'id="achieved">\s*70\s*<', html)
    assert "ตัวชี้วัดเชิงยุทธศาสตร์" in text and "(ตัวชี้วัดระดับผลผลิต (output))" in text
    assert "สนับสนุนยุทธศาสตร์กรุงเทพมหานครฯ" in text


def test_seed_page_has_every_section_in_seed_order(seed, manager_client):
    text = visible_text(manager_client.get(SEED_URL))
    positions = [text.index(label) for label in SEED_SECTION_LABELS]
    assert positions == sorted(positions)


def test_quarterly_table_matches_the_seed(seed, manager_client):
    html = manager_client.get(SEED_URL).content.decode()
    table = html[html.index('class="table table-bordered'):html.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    cells = [[re.sub(r"\s+", " ", strip_tags(c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
             for row in rows]
    assert cells == [
        ["1", "6", "20", "100.00", "100.00 / 100.00"],
        ["2", "6", "20", "100.00", "100.00 / 100.00"],
        ["3", "6", "70", "100.00", "100.00 / 100.00"],
        ["4", "6", "70", "รอการประเมิน", "รอการประเมิน"],
    ]


def test_final_score_line_says_pending_not_zero(seed, manager_client):
    text = visible_text(manager_client.get(SEED_URL))
    assert "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: รอการประเมิน" in text
    assert "0.0000" not in text


def test_final_score_shows_once_quarter_four_is_scored(seed, manager_client):
    QuarterResult.objects.filter(indicator=seed, quarter=4).update(
        score_self=Decimal("100"), score_confirmed=Decimal("95"), status="accepted"
    )
    text = visible_text(manager_client.get(SEED_URL))
    assert "*** สยป. ตรวจประเมินตัวชี้วัด : ไตรมาสที่ 4: 95" in text
    assert "บรรลุเป้าหมาย" in text


def test_all_four_narratives_in_full(seed, manager_client):
    page = html.unescape(strip_tags(manager_client.get(SEED_URL).content.decode()))
    page_no_space = re.sub(r"\s+", "", page)
    seed_text = SEED_FILE.read_text(encoding="utf-8")
    narratives = Narrative.objects.filter(indicator=seed)
    assert narratives.count() == 4
    for narrative in narratives:
        assert narrative.text in seed_text  # stored exactly as the seed has it
        # every character reaches the page, in order (line breaks may be added)
        assert re.sub(r"\s+", "", narrative.text) in page_no_space
    assert len(narratives.get(quarter=2).text) > 3000


def test_definition_sources_and_strategy_chain(seed, manager_client):
    text = visible_text(manager_client.get(SEED_URL))
    assert "ตามคำสั่งกรุงเทพมหานคร ที่ 2460/2552" in text
    assert "นับจำนวนเล่มรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่" in text
    assert "4. ภาพถ่ายการจัดกิจกรรม" in text
    assert ":ด้านที่ ๕ - มหานครประชาธิปไตย : Bangkok as a Democratic City" in text
    assert ":มิติที่ ๕.๒ - เมืองธรรมาภิบาล" in text
    assert ":เป้าหมายที่ ๕.๒.๑ ประชาชนมีส่วนร่วมในการเสนอนโยบายและตรวจสอบการทำงานของกรุงเทพมหานคร" in text
    assert ":เป้าประสงค์ที่ ๕.๒.๑.๑ รับฟังความคิดเห็นของประชาชนผ่าน “สภาประชาชนกรุงเทพมหานคร”" in text
    assert "%" not in re.sub(r"\(%\)", "", text)  # no byte-cut garbage from the old system
    assert "การทำางาน" not in text


def test_back_and_home_links(seed, manager_client):
    html = manager_client.get(SEED_URL).content.decode()
    assert "ย้อนกลับ" in html and "หน้าหลัก" in html


def test_home_lists_latest_year_indicators(seed, manager_client):
    # The demo data also holds the current fiscal year (fixtures/demo_current.json),
    # so the home page lists that year, not the seed's 2563.
    response = manager_client.get("/")
    assert response.status_code == 200
    assert "/indicators/2570/5013-0001/" in response.content.decode()
    assert SEED_URL not in response.content.decode()


@pytest.mark.parametrize("url", ["/indicators/2563/9999-9999/", "/indicators/2599/2100-1037/"])
def test_unknown_indicator_is_a_thai_404(seed, manager_client, url):
    response = manager_client.get(url)
    assert response.status_code == 404
    assert "ไม่พบหน้าที่ต้องการ" in response.content.decode()


def test_signed_out_visitor_is_sent_to_sign_in(seed, client):
    response = client.get(SEED_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_script_in_narrative_is_escaped(seed, manager_client):
    Narrative.objects.filter(indicator=seed, quarter=1, district_group=None).update(
        text='<script>alert("xss")</script> ข้อความ'
    )
    html = manager_client.get(SEED_URL).content.decode()
    assert '<script>alert("xss")</script>' not in html
    assert "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; ข้อความ" in html


def test_district_group_parts_are_shown_under_their_quarter(seed, manager_client):
    group = DistrictGroupFactory(name="กลุ่มทดสอบใต้")
    NarrativeFactory(indicator=seed, quarter=4, district_group=group, text="ส่วนของกลุ่มทดสอบ")
    text = visible_text(manager_client.get(SEED_URL))
    q4 = text.index("รายงานผลฯ ไตรมาสที่ 4")
    assert text.index("กลุ่มทดสอบใต้", q4) < text.index("ส่วนของกลุ่มทดสอบ", q4) < text.index("สรุปผลการดำเนินงาน")


def test_decimal_places_follow_the_indicator(db, manager_client):
    indicator = IndicatorFactory(decimal_places=2, annual_target=Decimal("80"))
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("12.5"))
    html = manager_client.get(indicator.get_absolute_url()).content.decode()
    assert re.search(r'id="annual-target">\s*80\.00\s*<', html)
    assert ">12.50<" in html


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _evidence(indicator, quarter, name="หลักฐาน.pdf"):
    # A stored file: a record without one is listed as missing.
    return Evidence.objects.create(indicator=indicator, quarter=quarter, file=ContentFile(b"%PDF-1.4", name="x"),
                                   original_name=name, content_type="application/pdf", size=1000)


def test_detail_query_count_is_fixed(db, manager_client):
    indicator = IndicatorFactory()
    QuarterResultFactory(indicator=indicator, quarter=1)
    NarrativeFactory(indicator=indicator, quarter=1)
    _evidence(indicator, 1)
    root = StrategyNodeFactory(level=1, code="7")
    indicator.strategy_nodes.add(StrategyNodeFactory(level=2, code="7.1", parent=root))
    small = _page_queries(manager_client, indicator.get_absolute_url())

    for quarter in (2, 3, 4):
        QuarterResultFactory(indicator=indicator, quarter=quarter)
        NarrativeFactory(indicator=indicator, quarter=quarter)
    for group in DistrictGroupFactory.create_batch(6):
        NarrativeFactory(indicator=indicator, quarter=4, district_group=group)
    for quarter in (1, 2, 3, 4):
        for n in range(3):
            _evidence(indicator, quarter, f"ไฟล์ {quarter}-{n}.pdf")
    for n in range(5):
        goal = StrategyNodeFactory(level=3, code=f"7.1.{n}", parent=StrategyNode.objects.get(code="7.1"))
        indicator.strategy_nodes.add(StrategyNodeFactory(level=4, code=f"7.1.{n}.1", parent=goal))
    large = _page_queries(manager_client, indicator.get_absolute_url())

    assert small == large
    # 9, 2 for the same code's earlier years (selectors/trend.py), 4 for
    # the projects that support it (projects/selectors.projects_of_indicator)
    # and 2 for the evidence checklist (its items and waivers).
    assert large <= 17


def test_evidence_is_listed_under_its_quarter_and_removed_files_are_not(db, manager_client):
    from django.utils import timezone

    indicator = IndicatorFactory()
    shown = _evidence(indicator, 2, "ภาพไตรมาสสอง.png")
    removed = _evidence(indicator, 3, "ไฟล์ที่ลบแล้ว.pdf")
    Evidence.objects.filter(pk=removed.pk).update(removed_at=timezone.now())
    html = manager_client.get(indicator.get_absolute_url()).content.decode()
    q2 = html.index('id="narrative-2"')
    assert q2 < html.index(f'href="/evidence/{shown.pk}/"') < html.index('id="narrative-3"')
    assert "ไฟล์ที่ลบแล้ว.pdf" not in html
