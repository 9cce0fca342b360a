"""Every number as a person meets it (issue 29, points 1, 2, 4 and 5), read
from the pages, the PDFs and the exports. The rule itself
(indicators/formats.py and its filters) is tested in test_formats.py.

KM-1 is the demo's 2100-2000 of FY 2570 in small: pavements improved in
kilometres, results in whole kilometres (0 decimals), summed over the
quarters, with milestones 0.5, 1.0 and 1.5 and the annual target 2, and
criteria 1.2 / 1.4 / 1.6 / 1.8 / 2 (60-100 % of the target). The old pages
rounded every one of them to the result's decimals: 1, 1, 2, 2."""

import csv
import io
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from demo import synthetic
from indicators import rules
from indicators.models import Indicator, QuarterResult

from .entry_support import open_indicator, post_report
from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory
from .helpers import page_text
from .pdf_inspect import pdf_text, thai_normal

pytestmark = pytest.mark.django_db
Status = QuarterResult.Status
CRITERIA = [D("1.2"), D("1.4"), D("1.6"), D("1.8"), D("2")]
MILESTONES = {1: D("0.5"), 2: D("1.0"), 3: D("1.5"), 4: None}


def kilometres(**kw):
    indicator = open_indicator(
        code="KM-1", name="จำนวนทางเท้าที่ได้รับการปรับปรุง", unit="กิโลเมตร", decimal_places=0,
        annual_target=D(2), aggregation=rules.SUM,
        **dict(zip([f"criteria_level_{n}" for n in range(1, 6)], CRITERIA, strict=True)), **kw)
    for quarter, milestone in MILESTONES.items():
        QuarterResult.objects.create(indicator=indicator, quarter=quarter, target=milestone)
    return indicator


@pytest.fixture
def km(db, media_root):
    return kilometres()


@pytest.fixture
def indicator(km):
    """The shared fixtures' reporter_client reports on."""
    return km


def quarter_table(html):
    """The detail page's quarterly table, row by row, cell by cell."""
    table = html[html.index('class="table table-bordered'):]
    table = table[:table.index("</table>")]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [[page_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def svg_of(html, figure_class):
    start = html.index(f'<figure class="{figure_class}"')
    return html[start:html.index("</figure>", start)]


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# --- point 1: a target keeps the decimals it was entered with ----------------------

def test_the_detail_page_shows_milestones_and_criteria_as_entered(km, manager_client):
    html = manager_client.get(km.get_absolute_url()).content.decode()
    # Shown together, the milestones share their decimals so the column lines up.
    assert [row[1] for row in quarter_table(html)] == ["0.5", "1.0", "1.5", "2.0"]
    assert "ระดับ 1: 1.2 · ระดับ 2: 1.4 · ระดับ 3: 1.6 · ระดับ 4: 1.8 · ระดับ 5: 2.0" in page_text(html)
    # The chart's target bars are labelled alike.
    chart = svg_of(html, "quarter-chart")
    labels = [re.findall(r'font-size="11" fill="#495057">([^<]*)<', group)[0]
              for group in re.findall(r'<g class="quarter" data-quarter="\d">(.*?)</g>', chart, re.S)]
    assert labels == ["0.5", "1.0", "1.5", "2.0"]
    assert "เป้าหมาย 0.5," in page_text(chart)  # the chart's description, read aloud


def test_the_printed_sheet_shows_them_too(km, manager_client):
    text = pdf_text(manager_client.get(f"/indicators/{km.fiscal_year.year}/KM-1/sheet.pdf").content)
    assert thai_normal("ระดับ 1: 1.2 · ระดับ 2: 1.4") in text
    assert thai_normal("1 0.5 ยังไม่รายงาน") in text and thai_normal("3 1.5 ยังไม่รายงาน") in text


def test_the_plausibility_warning_names_the_target_as_it_is(km, reporter_client):
    response = post_report(reporter_client, km, value="2", action="submit")
    assert response.status_code == 400
    # 2 is more than 3 × 0.5: true as displayed (the old page said "3 เท่าของค่าเป้าหมาย (1)").
    assert "ผลงาน (2) มากกว่า 3 เท่าของค่าเป้าหมาย (0.5)" in page_text(response)


def test_the_review_page_and_the_history_show_the_milestone(km, reporter_client, evaluator):
    assert post_report(reporter_client, km, value="2", action="submit", confirm_plausible="on").status_code == 302
    evaluator_client = reporter_client
    evaluator_client.force_login(evaluator)
    html = evaluator_client.get(f"/review/{km.fiscal_year.year}/KM-1/1/").content.decode()
    assert re.search(r'id="review-target">\s*0\.5 ', html)
    result = QuarterResult.objects.get(indicator=km, quarter=1)
    result.target = D("0.75")
    result.save()
    history = page_text(evaluator_client.get(f"/indicators/{km.fiscal_year.year}/KM-1/history/"))
    assert "ค่าเป้าหมายรายไตรมาส: 0.5 → 0.75" in history


def test_the_exports_write_the_milestones_as_entered(km, manager_client):
    year = km.fiscal_year.year
    rows = read_csv(manager_client.get(f"/reports/quarterly/export.csv?year={year}"))
    header, row = rows[0], rows[1]
    targets = [row[header.index(f"ไตรมาส {q} เป้าหมาย")] for q in (1, 2, 3, 4)]
    assert targets == ["0.5", "1", "1.5", "2"]
    sheet = load_workbook(io.BytesIO(manager_client.get(f"/reports/quarterly/export.xlsx?year={year}").content)).active
    cell = sheet.cell(2, header.index("ไตรมาส 1 เป้าหมาย") + 1)
    assert cell.value == 0.5 and cell.number_format == "#,##0.0"
    km.annual_target = D("2.5")
    km.save()
    listed = read_csv(manager_client.get(f"/indicators/export.csv?year={year}"))
    assert listed[1][listed[0].index("ค่าเป้าหมาย")] == "2.5"


def test_the_list_and_the_quarterly_table_page_show_them(km, manager_client):
    km.annual_target = D("2.5")
    km.save()
    year = km.fiscal_year.year
    assert "2.5 กิโลเมตร" in page_text(manager_client.get(f"/?year={year}"))
    row = manager_client.get(f"/reports/quarterly/?year={year}").content.decode().split('<th scope="row"')[1]
    cells = [page_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.split("</tr>")[0], re.S)]
    assert [cells[1 + 4 * q] for q in range(4)] == ["0.5", "1.0", "1.5", "2.5"]


def test_the_demo_city_keeps_its_criteria_unrounded(db):
    synthetic.generate(indicators=60, years=1, last_year=2570, seed=2570, log=lambda *a, **k: None)
    with_criteria = Indicator.objects.filter(criteria_level_1__isnull=False, direction=rules.HIGHER_IS_BETTER)
    assert with_criteria.exists()
    for indicator in with_criteria:
        assert indicator.criteria_level_1 == (indicator.annual_target * D("0.6")).quantize(D("0.01")), indicator.code


# --- point 2: a year measured otherwise is not drawn on the same axis ------------------

def trend_years(db, **this_year):
    owner = AgencyFactory()
    made = {}
    for year, unit, aggregation, target, value in (
        (2568, "กิโลเมตร", rules.SUM, D(3), D(4)),
        (2569, "ตัน", rules.AVERAGE, D(12), D(16)),
        (2570, "กิโลเมตร", rules.SUM, D(2), D(1)),
    ):
        made[year] = IndicatorFactory(fiscal_year=FiscalYearFactory(year=year), code="TR-KM", owner=owner,
                                      unit=unit, aggregation=aggregation, annual_target=target,
                                      **(this_year if year == 2570 else {}))
        QuarterResultFactory(indicator=made[year], quarter=1, value=value)
    return made


def test_the_trend_chart_leaves_out_a_year_in_another_unit_and_says_so(db, manager_client):
    years = trend_years(db)
    html = manager_client.get(years[2570].get_absolute_url()).content.decode()
    chart = svg_of(html, "quarter-chart trend-chart")
    assert re.findall(r'data-year="(\d+)"', chart) == ["2568", "2570"]
    assert "ตัน" not in chart and "16" not in page_text(chart) and "หน่วย: กิโลเมตร" in chart
    note = page_text(html.split('class="small text-body-secondary trend-left-out"')[1].split("</ul>")[0])
    assert "ปีงบประมาณ 2569 ไม่แสดงในแผนภูมิ" in note and "หน่วยนับ ตัน" in note
    assert "ค่าเฉลี่ยรายไตรมาส" in note
    # Its figures stay in the table, each with its own unit.
    row = page_text(html.split('<tr data-year="2569"')[1].split("</tr>")[0])
    assert "12 ตัน 16 ตัน" in row


def test_another_direction_is_left_out_too_and_no_chart_of_one_year(db, manager_client):
    years = trend_years(db, direction=rules.LOWER_IS_BETTER)
    html = manager_client.get(years[2570].get_absolute_url()).content.decode()
    assert "trend-chart" not in html  # 2570 alone on its axis: nothing to compare
    note = page_text(html.split('class="small text-body-secondary trend-left-out"')[1].split("</ul>")[0])
    assert "ปีงบประมาณ 2568 ไม่แสดงในแผนภูมิ" in note and "ยิ่งมากยิ่งดี" in note
    assert "ปีงบประมาณ 2569 ไม่แสดงในแผนภูมิ" in note


# --- point 4: the quarterly table shows what a summed quarter is judged by --------------

@pytest.fixture
def summed(db):
    """The issue's 2200-2001 in small: a sum, target 90 at quarter 4, its own
    quarter 19.98 but 90.03 to date, so 100 %."""
    indicator = IndicatorFactory(fiscal_year=FiscalYearFactory(year=2569), code="SUM-2", unit="ร้อยละ",
                                 decimal_places=2, annual_target=D(90), aggregation=rules.SUM)
    for quarter, value, target in ((1, "24.09", "22.5"), (2, "23.41", "45"), (3, "22.55", "67.5"), (4, "19.98", None)):
        QuarterResultFactory(indicator=indicator, quarter=quarter, value=D(value), target=target and D(target),
                             status=Status.ACCEPTED, score_self=D(100), score_confirmed=D(100),
                             submitted_at=timezone.now())
    return indicator


def test_the_quarterly_table_shows_the_value_to_date_with_its_label(summed, manager_client):
    html = manager_client.get("/reports/quarterly/?year=2569").content.decode()
    row = html.split('<th scope="row"')[1].split("</tr>")[0]
    cells = [page_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # Quarter 4: its own 19.98, and the 90.03 to date its 100 % is computed from.
    # In the narrow cell one word ("สะสม") shows; the full label is read out and explained above.
    assert cells[13] == "90.00" and re.fullmatch(r"19\.98 ?สะสม ?ผลรวมถึงไตรมาสนี้ 90\.03", cells[14])
    assert 'title="ผลรวมถึงไตรมาสนี้"' in row and "“สะสม” คือผลรวมถึงไตรมาสนี้" in page_text(html)
    assert cells[15:17] == ["100.00", "100.00 / 100.00"]
    assert cells[5] == "45.00" and re.fullmatch(r"23\.41 ?สะสม ?ผลรวมถึงไตรมาสนี้ 47\.50", cells[6])


def test_the_quarterly_exports_have_the_value_to_date(summed, manager_client):
    rows = read_csv(manager_client.get("/reports/quarterly/export.csv?year=2569"))
    header, row = rows[0], rows[1]
    assert row[header.index("วิธีรวมผลรายไตรมาส")] == "ผลรวมรายไตรมาส"
    assert row[header.index("ไตรมาส 4 ผลงาน")] == "19.98"
    assert row[header.index("ไตรมาส 4 ผลงานถึงไตรมาสนี้ที่ใช้ประเมิน")] == "90.03"
    assert row[header.index("ไตรมาส 4 ร้อยละความสำเร็จ")] == "100.00"
    sheet = load_workbook(io.BytesIO(manager_client.get("/reports/quarterly/export.xlsx?year=2569").content)).active
    assert sheet.cell(2, header.index("ไตรมาส 4 ผลงานถึงไตรมาสนี้ที่ใช้ประเมิน") + 1).value == pytest.approx(90.03)


# --- point 5: one format for scores, percentages, values and units ------------------------

@pytest.fixture
def scored(db):
    """A percent indicator at 64.6 %: evaluated by 2.1, not yet confirmed."""
    owner = AgencyFactory(code="7100", name="สำนักทดสอบรูปแบบ")
    indicator = IndicatorFactory(fiscal_year=FiscalYearFactory(year=2570), code="FMT-1", owner=owner, unit="ร้อยละ",
                                 decimal_places=2, annual_target=D(80), weight=D(100))
    QuarterResultFactory(indicator=indicator, quarter=1, value=D("51.68"), score_self=D("64.6"),
                         status=Status.SUBMITTED, submitted_at=timezone.now())
    return indicator


def test_scores_read_alike_on_the_quarterly_table_and_the_detail_page(scored, manager_client):
    row = manager_client.get("/reports/quarterly/?year=2570").content.decode().split('<th scope="row"')[1]
    cells = [page_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row.split("</tr>")[0], re.S)]
    assert cells[1:5] == ["80.00", "51.68", "64.60", "64.60 / -"]  # was "64.6 / -" beside "64.60"
    detail = quarter_table(manager_client.get(scored.get_absolute_url()).content.decode())
    assert detail[0] == ["1", "80.00", "51.68", "64.60", "64.60 / รอการประเมิน"]


def test_a_percent_unit_reads_in_thai_order_everywhere(scored, manager_client, evaluator_client):
    scorecard = page_text(manager_client.get("/scorecards/2570/7100/"))
    assert "ร้อยละ 51.68" in scorecard and "51.68 ร้อยละ" not in scorecard
    row = manager_client.get("/?year=2570").content.decode().split(">FMT-1<")[1].split("</tr>")[0]
    assert "ร้อยละ 80.00" in page_text(row) and "ร้อยละ 51.68" in page_text(row)  # the result has its unit
    assert "ร้อยละ 51.68" in page_text(evaluator_client.get("/review/"))
    pdf = pdf_text(manager_client.get("/scorecards/2570/7100/scorecard.pdf").content)
    assert thai_normal("ร้อยละ 51.68") in pdf


def test_the_scorecard_shows_scores_and_weights_by_the_rule(scored, manager_client):
    html = manager_client.get("/scorecards/2570/7100/").content.decode()
    row = page_text(html.split('data-code="FMT-1"')[1].split("</tr>")[0])
    assert "100.00" in row  # the weight
    assert " 64.60 " in row  # score 2.1, was "64.6"
    detail = page_text(manager_client.get(scored.get_absolute_url()))
    assert "น้ำหนัก 100.00" in detail


def test_the_public_page_shows_scores_by_the_rule(scored, client):
    year = scored.fiscal_year
    year.published = True
    year.save()
    QuarterResult.objects.filter(indicator=scored).update(status=Status.ACCEPTED, score_confirmed=D("64.6"))
    text = page_text(client.get("/public/2570/indicators/FMT-1/"))
    assert "64.60 / 64.60" in text
