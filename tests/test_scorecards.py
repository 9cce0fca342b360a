"""Agency scorecards and the ranking (issue 12): hand-computed totals,
provisional against final, pending never counted as 0, the pages, who may
see them, the exports and the printed scorecard."""

import csv
import io
import re
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from evaluation import scorecards
from indicators import rules
from indicators.models import Agency, FiscalYear, QuarterResult
from tests.factories import AgencyFactory, DistrictGroupFactory, FiscalYearFactory, IndicatorFactory
from tests.helpers import page_text
from tests.pdf_inspect import base_name, fonts, fonts_carrying_thai, pdf_text, thai_normal

YEAR = 2570


def indicator(owner, code, weight, *, target=D(100), criteria=None, direction=rules.HIGHER_IS_BETTER, **kw):
    levels = dict(zip([f"criteria_level_{n}" for n in range(1, 6)], criteria or [None] * 5, strict=True))
    return IndicatorFactory(fiscal_year=FiscalYearFactory(year=YEAR), owner=owner, code=code, weight=D(weight),
                            annual_target=target, direction=direction, unit="คน", **levels, **kw)


def report(ind, quarter, value, *, self_score=None, confirmed=None, target=None):
    return QuarterResult.objects.create(indicator=ind, quarter=quarter, value=D(value), target=target,
                                        score_self=self_score, score_confirmed=confirmed, status="accepted")


@pytest.fixture
def agency(db):
    return AgencyFactory(code="7001", name="สำนักทดสอบคะแนน", short_name="สทค.")


@pytest.fixture
def card_world(agency):
    """Three indicators of one agency, weights 50 / 30 / 20, five-level
    criteria 60/70/80/90/100 on the first two (the second lower-is-better
    20/15/10/5/0), none on the third:
    - A: Q1 reported 85 (provisional): 2.1 = 85, level 3.5
    - B: Q4 scored by the evaluator, value 12: 2.1 = 100 × 10/12 → 83.33, 2.2 = 80, level 2.6
    - C: nothing reported: pending."""
    a = indicator(agency, "S-1", 50, criteria=[60, 70, 80, 90, 100])
    b = indicator(agency, "S-2", 30, target=D(10), criteria=[20, 15, 10, 5, 0], direction=rules.LOWER_IS_BETTER)
    c = indicator(agency, "S-3", 20)
    report(a, 1, 85)
    report(b, 4, 12, self_score=D("83.33"), confirmed=D(80))
    return a, b, c


def card_of(agency, scheme=rules.PERCENT_SCHEME, below=0):
    from evaluation.selectors.scorecard import agency_scorecard

    fiscal_year = FiscalYear.objects.get(year=YEAR)
    fiscal_year.scoring_scheme, fiscal_year.below_level_one_score = scheme, below
    return agency_scorecard(fiscal_year, agency)


class TestScoring:
    def test_percent_scheme_provisional_total(self, agency, card_world):
        card = card_of(agency)
        a, b, c = card.rows
        assert (a.score_self, a.score_confirmed, a.score, a.final, a.as_of_quarter) == (D("85.00"), None, D("85.00"),
                                                                                        False, 1)
        assert (b.score_self, b.score_confirmed, b.score, b.final) == (D("83.33"), D(80), D(80), True)
        assert c.pending and c.score is None
        # (50 × 85 + 30 × 80) / (50 + 30) = (4250 + 2400) / 80 = 83.125; C is left out, not counted as 0
        # (which would give 6650 / 100 = 66.5).
        assert card.total == D("83.1250")
        assert not card.final and card.pending_count == 1 and card.final_count == 1
        # Contributions add up to the total: 4250 / 80 = 53.125, 2400 / 80 = 30.
        assert [row.contribution for row in card.rows] == [D("53.1250"), D("30.0000"), None]

    def test_five_level_scheme(self, agency, card_world):
        card = card_of(agency, rules.FIVE_LEVEL_SCHEME)
        a, b, c = card.rows
        assert (a.level, b.level, c.level) == (D("3.5000"), D("2.6000"), None)
        # (50 × 3.5 + 30 × 2.6) / 80 = (175 + 78) / 80 = 3.1625
        assert card.total == D("3.1625")
        assert any("ยังไม่มีเกณฑ์การให้คะแนน 5 ระดับ (1): S-3" in w for w in card.warnings)

    def test_below_level_one_per_year_setting(self, agency, card_world):
        QuarterResult.objects.filter(indicator__code="S-1").update(value=D(50))
        assert card_of(agency, rules.FIVE_LEVEL_SCHEME, below=0).rows[0].level == D("0.0000")
        assert card_of(agency, rules.FIVE_LEVEL_SCHEME, below=1).rows[0].level == D("1.0000")

    def test_final_when_every_quarter_4_is_scored(self, agency, card_world):
        a, b, c = card_world
        report(a, 4, 95, self_score=D(95), confirmed=D(90))
        report(c, 4, 100, self_score=D(100), confirmed=D(100))
        card = card_of(agency)
        assert card.final and card.pending_count == 0
        # From 2.2: (50 × 90 + 30 × 80 + 20 × 100) / 100 = (4500 + 2400 + 2000) / 100 = 89
        assert card.total == D("89.0000")
        # Weights sum to 100; only C's missing criteria are warned of.
        assert card.warnings == ["ตัวชี้วัดที่ยังไม่มีเกณฑ์การให้คะแนน 5 ระดับ (1): S-3"]

    def test_weights_not_summing_to_100_are_warned_of(self, agency, card_world):
        indicator(agency, "S-4", 5)
        card = card_of(agency)
        assert card.weight_sum == D(105)
        assert "น้ำหนักของตัวชี้วัดรวมกันได้ 105.00 ไม่เท่ากับ 100" in card.warnings

    def test_ranking_ties_share_a_rank_and_unscored_come_last(self):
        agencies = [Agency(id=n, code=str(n)) for n in range(1, 7)]
        totals = {1: D(80), 2: D(90), 3: None, 4: D(80), 5: D(70)}  # agency 6 has no indicators
        summaries = {n: scorecards.Summary(total, D(100), 1, 0, False) for n, total in totals.items()}
        standings = scorecards.ranking(agencies, summaries)
        assert [(s.rank, s.agency.code) for s in standings] == [
            (1, "2"), (2, "1"), (2, "4"), (4, "5"), (None, "3")]
        by_name = scorecards.ranking(agencies, summaries, "agency")
        assert [(s.rank, s.agency.code) for s in by_name][:2] == [(2, "1"), (1, "2")]
        # Among a subset (a district group's offices) ranks start again.
        assert [(s.rank, s.agency.code) for s in scorecards.ranking(agencies[3:], summaries)] == [(1, "4"), (2, "5")]


def test_ranking_follows_every_change(agency, card_world, manager_client):
    """The ranking's scores are cached per version of the year's indicators:
    a new result, a new indicator and a changed setting each show at once."""
    a, b, c = card_world
    assert "83.1250" in page_text(manager_client.get(f"/scorecards/{YEAR}/"))
    report(c, 1, 50)  # C: 50 % provisional: (4250 + 2400 + 20 × 50) / 100 = 76.5
    assert "76.5000" in page_text(manager_client.get(f"/scorecards/{YEAR}/"))
    indicator(agency, "S-5", 0)
    # 4 indicators: 1 evaluated, 2 provisional (A, C), 1 without a score (S-5).
    assert "4 1 2 1 100.00 76.5000" in page_text(manager_client.get(f"/scorecards/{YEAR}/"))
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    fiscal_year.scoring_scheme = rules.FIVE_LEVEL_SCHEME
    fiscal_year.save()
    # Five-level: (50 × 3.5 + 30 × 2.6) / 80 = 3.1625 (C and S-5 have no criteria).
    assert "3.1625" in page_text(manager_client.get(f"/scorecards/{YEAR}/"))


# --- the pages ------------------------------------------------------------------

def test_scorecard_page(agency, card_world, manager_client):
    response = manager_client.get(f"/scorecards/{YEAR}/{agency.code}/")
    assert response.status_code == 200
    text = page_text(response)
    assert "สำนักทดสอบคะแนน" in text and "ผลชั่วคราว" in text
    assert "คะแนนรวมถ่วงน้ำหนัก: 83.1250" in text
    assert "ตัวชี้วัด 3 ตัว: ประเมินแล้ว 1 · คะแนนชั่วคราว 1 · ยังไม่มีคะแนน 1 (ไม่นับเป็น 0)" in text
    row = response.content.decode().split('data-code="S-2"')[1].split("</tr>")[0]
    assert "83.33" in page_text(row) and "2.6000" in page_text(row) and "(ผลสุดท้าย)" in page_text(row)


def test_ranking_page_and_group(agency, card_world, manager_client, make_user):
    group = DistrictGroupFactory(code="test-group", name="กลุ่มทดสอบ")
    district = AgencyFactory(code="5099", name="สำนักงานเขตทดสอบ", kind=Agency.Kind.DISTRICT_OFFICE,
                             district_group=group)
    d = indicator(district, "D-1", 100)
    report(d, 4, 100, self_score=D(100), confirmed=D(100))

    response = manager_client.get(f"/scorecards/{YEAR}/")
    html = response.content.decode()
    assert html.index('data-agency="5099"') < html.index('data-agency="7001"')  # 100 before 83.125
    first = page_text(html.split('data-agency="5099">')[1].split("</tr>")[0]).strip()
    assert first.startswith("1 ") and "100.0000" in first and "ผลสุดท้าย" in first
    second = page_text(html.split('data-agency="7001">')[1].split("</tr>")[0]).strip()
    # rank 2, 3 indicators: 1 evaluated, 1 provisional, 1 without a score; weights 100, total 83.125
    assert second.split()[:1] == ["2"] and "3 1 1 1 100.00 83.1250 ผลชั่วคราว" in second

    grouped = manager_client.get(f"/scorecards/{YEAR}/?group=test-group").content.decode()
    assert 'data-agency="5099"' in grouped and 'data-agency="7001"' not in grouped

    by_pending = manager_client.get(f"/scorecards/{YEAR}/?sort=pending").content.decode()
    assert by_pending.index('data-agency="7001"') < by_pending.index('data-agency="5099"')


def test_ranking_exports(agency, card_world, manager_client):
    response = manager_client.get(f"/scorecards/{YEAR}/ranking.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ลำดับ", "รหัสหน่วยงาน", "หน่วยงาน"]
    assert rows[0][4:] == ["จำนวนตัวชี้วัด", "ประเมินแล้ว", "คะแนนชั่วคราว", "ยังไม่มีคะแนน", "น้ำหนักรวม",
                           "คะแนนรวมถ่วงน้ำหนัก", "สถานะ", "ลำดับเท่ากัน"]
    assert rows[1] == ["1", "7001", "สำนักทดสอบคะแนน", "", "3", "1", "1", "1", "100.00", "83.1250", "ผลชั่วคราว", ""]

    response = manager_client.get(f"/scorecards/{YEAR}/ranking.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][:3] == [1, "7001", "สำนักทดสอบคะแนน"]
    assert sheet.cell(2, 10).value == pytest.approx(83.125)
    assert manager_client.get(f"/scorecards/{YEAR}/ranking.pdf").status_code == 404


def test_scorecard_pdf(agency, card_world, manager_client):
    response = manager_client.get(f"/scorecards/{YEAR}/{agency.code}/scorecard.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    for expected in ("สำนักทดสอบคะแนน", "คะแนนรวมถ่วงน้ำหนัก", "83.1250", "ผลชั่วคราว", "S-3", "หน้า1จาก1"):
        assert thai_normal(expected) in text, expected
    names = {base_name(font) for font in fonts(pdf)}
    assert names and all(name.startswith("Sarabun") for name in names), names
    assert all(name.startswith("Sarabun") for name in fonts_carrying_thai(pdf))


# --- who may see what -------------------------------------------------------------

SCORECARD_EXPECTED = {
    # role: (own agency's scorecard, another agency's, ranking, ranking export, own scorecard PDF)
    "anonymous": (302, 302, 302, 302, 302),
    "no_role": (403, 403, 403, 403, 403),
    "reporter": (200, 403, 403, 403, 200),
    "evaluator": (200, 200, 200, 200, 200),
    "manager": (200, 200, 200, 200, 200),
    "administrator": (200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", list(SCORECARD_EXPECTED))
def test_permission_matrix(role, agency, card_world, client, make_user):
    other = AgencyFactory(code="7002")
    indicator(other, "O-1", 100)
    if role != "anonymous":
        client.force_login(make_user(None if role == "no_role" else role, [agency]))
    urls = [f"/scorecards/{YEAR}/{agency.code}/", f"/scorecards/{YEAR}/{other.code}/", f"/scorecards/{YEAR}/",
            f"/scorecards/{YEAR}/ranking.csv", f"/scorecards/{YEAR}/{agency.code}/scorecard.pdf"]
    assert tuple(client.get(url).status_code for url in urls) == SCORECARD_EXPECTED[role]


def test_other_agencys_pdf_is_refused_to_a_reporter(agency, card_world, client, make_user):
    other = AgencyFactory(code="7002")
    client.force_login(make_user("reporter", [agency]))
    assert client.get(f"/scorecards/{YEAR}/{other.code}/scorecard.pdf").status_code == 403
    assert client.get(f"/scorecards/{YEAR}/9999/").status_code == 404


def test_index_sends_each_role_to_its_page(agency, card_world, client, make_user):
    client.force_login(make_user("reporter", [agency]))
    assert client.get("/scorecards/")["Location"] == f"/scorecards/{YEAR}/{agency.code}/"
    client.force_login(make_user("manager"))
    assert client.get("/scorecards/")["Location"] == f"/scorecards/{YEAR}/"


# --- fixed query counts -------------------------------------------------------------

def _counts(client, urls):
    from django.core.cache import cache

    counts = {}
    for url in urls:
        cache.clear()  # the ranking's scores as after a change (selectors/scorecard.year_summaries)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    return counts


def test_query_counts_do_not_grow_with_the_data(client, make_user):
    from demo import synthetic

    quiet = {"narratives": False, "log": lambda *a: None}
    synthetic.generate(indicators=20, years=1, last_year=YEAR, **quiet)
    reporter_agency = Agency.objects.get(code="2200")
    urls = [f"/scorecards/{YEAR}/", f"/scorecards/{YEAR}/?group=bangkok-east&sort=pending",
            f"/scorecards/{YEAR}/2200/", f"/scorecards/{YEAR}/ranking.csv", f"/scorecards/{YEAR}/ranking.xlsx"]
    manager, reporter = make_user("manager"), make_user("reporter", [reporter_agency])

    client.force_login(manager)
    small = _counts(client, urls)
    client.force_login(reporter)
    small_reporter = _counts(client, [f"/scorecards/{YEAR}/2200/"])

    synthetic.generate(indicators=2000, years=1, last_year=YEAR, seed=7, **quiet)
    assert Agency.objects.get(code="2200").indicators.count() > 10
    client.force_login(manager)
    large = _counts(client, urls)
    client.force_login(reporter)
    assert _counts(client, [f"/scorecards/{YEAR}/2200/"]) == small_reporter
    assert large == small
    # 10, and 3 more on an agency's scorecard: its project figures
    # (projects/figures.py: the projects, their milestones, their progress).
    assert max(large.values()) <= 13, large
    # Unchanged since, the ranking's scores come from the cache: one query
    # fewer (the bell's unread count is cached apart: warmed first).
    from django.core.cache import cache

    from notifications.services import unread_count

    client.force_login(manager)
    cache.clear()
    unread_count(manager)
    with CaptureQueriesContext(connection) as recomputed:
        assert client.get(urls[0]).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(urls[0]).status_code == 200
    assert len(ctx.captured_queries) == len(recomputed.captured_queries) - 1


# --- the ranking says what each scorecard says (issue 29, point 3) ----------------

def _cells(html, selector_attr):
    """{key: text} of the elements carrying data-<selector_attr>="key"."""
    return {key: page_text(inner).strip()
            for key, inner in re.findall(rf'data-{selector_attr}="([^"]+)"[^>]*>(.*?)</t[dh]>', html, re.S)}


def _scorecard_figures(client, code):
    html = client.get(f"/scorecards/{YEAR}/{code}/").content.decode()
    counts = {key: (label, n) for key, label, n in re.findall(r'data-count="(\w+)">([^<]*) (\d+)</span>', html)}
    total = page_text(re.search(r'id="summary-total">(.*?)</span>\s*<', html, re.S).group(1)).strip()
    state = page_text(re.search(r'id="summary-state">(.*?)</span>', html, re.S).group(1)).strip()
    indicators = re.search(r'id="summary-counts">\s*ตัวชี้วัด (\d+) ตัว:', html).group(1)
    return html, counts, indicators, total, state


def _ranking_row(html, code):
    row = html.split(f'data-agency="{code}">', 1)[1].split("</tr>", 1)[0]
    cells = dict(re.findall(r'data-count="(\w+)">(\d+)</td>', row))
    total = page_text(re.search(r"data-total>(.*?)</td>", row, re.S).group(1)).strip()
    state = page_text(re.search(r"data-state>(.*?)</td>", row, re.S).group(1)).strip()
    rank = page_text(re.search(r'data-rank="[^"]*">(.*?)</td>', row, re.S).group(1)).strip()
    return cells, total, state, rank


def test_ranking_columns_say_what_each_scorecard_says_with_ties_and_a_returned_quarter(db, manager_client,
                                                                                      evaluator):
    """Three agencies, percent scheme:
    - 7101: one indicator, quarter 4 scored 90 by the evaluator: 90, final;
    - 7102: one scored 90 (final) and one accepted at quarter 1 with 90 % (provisional): 90, tied with 7101;
    - 7103: one accepted at quarter 1 with 60 % and submitted at quarter 2 with 100 %, then returned,
      and one with nothing reported: 60 once returned (100 before), rank 3 after the tie (1, 1, 3)."""
    from evaluation import services

    first = AgencyFactory(code="7101", name="สำนักทดสอบหนึ่ง")
    second = AgencyFactory(code="7102", name="สำนักทดสอบสอง")
    third = AgencyFactory(code="7103", name="สำนักทดสอบสาม")
    report(indicator(first, "T1-1", 100), 4, 90, self_score=D(90), confirmed=D(90))
    report(indicator(second, "T2-1", 50), 4, 90, self_score=D(90), confirmed=D(90))
    report(indicator(second, "T2-2", 50), 1, 90, self_score=D(90), confirmed=D(90))
    returned = indicator(third, "T3-1", 50)
    report(returned, 1, 60, self_score=D(60), confirmed=D(60))
    q2 = QuarterResult.objects.create(indicator=returned, quarter=2, value=D(100), status="submitted")
    indicator(third, "T3-2", 50)
    ranking_url = f"/scorecards/{YEAR}/"

    before = manager_client.get(ranking_url).content.decode()
    assert _ranking_row(before, "7103")[1] == "100.0000"  # the submitted quarter counts while it waits
    services.return_for_correction(result=q2, user=evaluator, expected_version=q2.version,
                                     comment="ผลงานไม่ตรงกับหลักฐาน")

    html = manager_client.get(ranking_url).content.decode()
    headers = _cells(html.split("</thead>", 1)[0], "count-label")
    for code in ("7101", "7102", "7103"):
        card_html, card_counts, card_indicators, card_total, card_state = _scorecard_figures(manager_client, code)
        cells, total, state, _rank = _ranking_row(html, code)
        # The same words head the ranking's columns as the card's counts, with the same numbers.
        assert {key: headers[key] for key in card_counts} == {key: label for key, (label, _n) in card_counts.items()}
        assert {key: cells[key] for key in card_counts} == {key: n for key, (_label, n) in card_counts.items()}
        assert cells["indicators"] == card_indicators
        assert (total, state) == (card_total, card_state), code

    assert _scorecard_figures(manager_client, "7102")[1] == {
        "final": ("ประเมินแล้ว", "1"), "provisional": ("คะแนนชั่วคราว", "1"), "pending": ("ยังไม่มีคะแนน", "0")}
    third_card = _scorecard_figures(manager_client, "7103")
    assert third_card[1]["pending"] == ("ยังไม่มีคะแนน", "1") and third_card[3] == "60.0000"
    assert "ไตรมาสที่ 2 ส่งกลับแก้ไข ไม่นำมาคิด" in page_text(third_card[0])
    # Ties share a rank and say so; the next rank counts the agencies before it.
    ranks = {code: _ranking_row(html, code)[3] for code in ("7101", "7102", "7103")}
    assert ranks == {"7101": "1 เท่ากัน", "7102": "1 เท่ากัน", "7103": "3"}
    assert "ได้ลำดับเดียวกันและมีคำว่า “เท่ากัน” กำกับ" in page_text(html)
    assert html.index('data-agency="7101"') < html.index('data-agency="7102"') < html.index('data-agency="7103"')
