"""The public site under /public/: no sign-in, published years only, the
seed indicator's page with its accepted quarters, search and filters, and
pages cached until an evaluator accepts, scores or reopens."""

import itertools
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evaluation import services
from indicators.models import FiscalYear, Indicator, QuarterResult

from .factories import FiscalYearFactory, UserFactory
from .pytest_fixtures import SEED_CODE, SEED_YEAR

SEED_PAGE = f"/public/{SEED_YEAR}/indicators/{SEED_CODE}/"


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def cells(html, quarter):
    row = re.search(rf'<tr data-quarter="{quarter}" data-status="(\w+)">(.*?)</tr>', html, re.S)
    return row[1], re.sub(r"<[^>]+>", " ", row[2]).split()


def test_no_sign_in_no_cookies(client, seed):
    for url in ("/public/", "/public/2563/", "/public/2563/indicators/", SEED_PAGE, "/public/data/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, url


def test_the_seed_page_shows_accepted_quarters_and_waits_for_quarter_4(client, seed):
    html = text_of(client.get(SEED_PAGE))
    assert "กลุ่มการปฏิบัติงานของสำนักงานเขตมีรายงานผลการศึกษาบริบทเพื่อการพัฒนาเชิงพื้นที่" in html
    assert cells(html, 1) == ("accepted", ["1", "6", "20", "100.00", "100.00", "/", "100.00", "ตรวจรับแล้ว"])
    assert cells(html, 3) == ("accepted", ["3", "6", "70", "100.00", "100.00", "/", "100.00", "ตรวจรับแล้ว"])
    # Quarter 4 is submitted, waiting in the evaluator's queue: no figure.
    assert cells(html, 4) == ("pending", ["4", "6"] + ["รอการประเมิน"] * 4)
    assert 'id="narrative-pending-4"' in html and 'id="narrative-pending-3"' not in html
    assert re.search(r'id="achieved">70 <small>\(ณ ไตรมาสที่ 3', html)
    # The chart draws the accepted quarters only, and says so of the others.
    assert html.count('class="bar-result"') == 3 and "รอการประเมิน" in html.split("<svg", 1)[1]
    for private in ("ไฟล์หลักฐาน", "ประวัติการแก้ไข", "/evidence/", "/history/", "รายงานผล</a>"):
        assert private not in html


def test_accept_score_and_reopen_change_the_cached_page_at_once(client, seed):
    evaluator = UserFactory(role="evaluator")
    first = client.get(SEED_PAGE)
    with CaptureQueriesContext(connection) as repeat:
        again = client.get(SEED_PAGE)
    assert again.content == first.content and len(repeat) == 1
    assert client.get(SEED_PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    q4 = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.score_final_quarter(result=q4, user=evaluator, expected_version=q4.version, score="100")
    scored = client.get(SEED_PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert scored.status_code == 200 and scored["ETag"] != first["ETag"]
    assert cells(scored.content.decode(), 4)[0] == "accepted"
    assert "บรรลุเป้าหมาย" in scored.content.decode()

    q4.refresh_from_db()
    services.reopen(result=q4, user=evaluator, expected_version=q4.version, reason="ตรวจสอบอีกครั้ง")
    reopened = text_of(client.get(SEED_PAGE))
    assert cells(reopened, 4)[0] == "pending" and "ตรวจสอบอีกครั้ง" not in reopened


def test_the_list_and_year_pages_follow_an_acceptance(client, seed):
    evaluator = UserFactory(role="evaluator")
    list_url = "/public/2563/indicators/?quarter=4&status=pending"
    assert "2100-1037" in text_of(client.get(list_url))
    assert 'รอการประเมิน 1' in text_of(client.get("/public/2563/"))
    q4 = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.score_final_quarter(result=q4, user=evaluator, expected_version=q4.version, score="100")
    assert "2100-1037" not in text_of(client.get(list_url))
    assert "2100-1037" in text_of(client.get("/public/2563/indicators/?quarter=4&status=met"))
    assert 'บรรลุเป้าหมาย 1' in text_of(client.get("/public/2563/"))


def test_search_and_filters_use_the_lists_codes(client, seed):
    assert "2100-1037" in text_of(client.get("/public/2563/indicators/?q=บริบท&agency=2100&strategy=5"))
    assert "2100-1037" not in text_of(client.get("/public/2563/indicators/?q=ไม่มีคำนี้"))
    # Made-up parameters are ignored (and make no cache entry of their own).
    plain = client.get("/public/2563/indicators/")
    assert client.get("/public/2563/indicators/?utm=x&foo=1")["ETag"] == plain["ETag"]
    # No "not reported" and no comparison with last year for the public.
    html = text_of(plain)
    assert 'value="not_reported"' not in html and 'name="change"' not in html and 'name="year"' not in html


def test_only_published_years_and_public_indicators(client, seed):
    assert "2563" in text_of(client.get("/public/"))
    seed.public_hidden = True
    seed.save()
    assert client.get(SEED_PAGE).status_code == 404
    assert "2100-1037" not in text_of(client.get("/public/2563/indicators/"))
    FiscalYear.objects.filter(year=2563).update(published=False)
    for url in ("/public/2563/", "/public/2563/indicators/", "/public/2563/data.csv"):
        assert client.get(url).status_code == 404, url
    assert "/public/2563/" not in text_of(client.get("/public/"))
    FiscalYear.objects.update(published=False)
    assert 'id="no-years"' in text_of(client.get("/public/"))


def test_switching_a_year_on_shows_it_at_once(client, seed):
    """The admin's switch saves the year, which moves its indicators'
    versions on: no cached page of the year survives it."""
    year = FiscalYear.objects.get(year=2563)
    before = client.get("/public/2563/indicators/")
    year.published = False
    year.save()
    assert client.get("/public/2563/indicators/").status_code == 404
    year.published = True
    year.save()
    after = client.get("/public/2563/indicators/")
    assert after.status_code == 200 and after["ETag"] != before["ETag"]


def test_new_years_start_unpublished(db):
    assert FiscalYear.objects.create(year=2571).published is False
    assert FiscalYear._meta.get_field("published").default is False


@pytest.mark.django_db
def test_a_year_without_indicators(client):
    FiscalYearFactory(year=2571, published=True)
    assert "ไม่มีข้อมูล" in text_of(client.get("/public/2571/"))
    assert "ไม่พบตัวชี้วัด" in text_of(client.get("/public/2571/indicators/"))


def test_the_public_pages_are_labelled_for_assistive_technology(client, seed):
    """Headings in order, tables with captions and header scopes, every form
    field labelled (the axe-core browser tests check the rest)."""
    for url in ("/public/", "/public/2563/", "/public/2563/indicators/", SEED_PAGE, "/public/data/"):
        html = text_of(client.get(url))
        levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
        assert levels[0] == 1 and levels.count(1) == 1, url
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (url, levels)
        assert html.count("<table") == html.count("<caption"), url
        assert "<th>" not in html, url  # every header cell has a scope
        for field_id in re.findall(r'<(?:select|input)[^>]* id="([^"]+)"', html):
            assert f'for="{field_id}"' in html, (url, field_id)
        assert '<html lang="th">' in html and 'href="#main"' in html


def test_quantities_keep_the_indicators_decimals(client, seed):
    Indicator.objects.filter(pk=seed.pk).update(decimal_places=2, annual_target=Decimal("1234.5"))
    html = text_of(client.get(SEED_PAGE))
    assert "1,234.50" in html


def test_the_home_page_draws_each_published_years_statuses(client, seed):
    with CaptureQueriesContext(connection) as queries:
        html = text_of(client.get("/public/"))
    assert len(queries) == 1  # the years with their status counts
    svg = html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "ตัวชี้วัดตามสถานะ แยกตามปีงบประมาณ" in svg
    # The seed's year is over: its year's status, quarter 4 waiting for the evaluator.
    assert ('<a href="/public/2563/indicators/?quarter=4&amp;status=pending" '
            'aria-label="ปีงบประมาณ 2563 (ทั้งปี): รอการประเมิน 1">') in svg
    table = html.split('<details', 1)[1]
    assert "ปีงบประมาณ 2563 (ทั้งปี)" in table and "ดูเป็นตาราง" in table
