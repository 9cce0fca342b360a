"""The quarterly achievement table across indicators at /reports/quarterly/."""

import re
from decimal import Decimal

import pytest

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory, StrategyNodeFactory
from .helpers import page_text

pytestmark = pytest.mark.django_db
URL = "/reports/quarterly/"


def groups(response):
    """[(group title, [indicator codes])] in page order."""
    html = response.content.decode()
    found = []
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
        title = page_text(re.search(r'<th scope="rowgroup"[^>]*>(.*?)<span', body, re.S).group(1)).strip()
        codes = re.findall(r'<th scope="row"[^>]*><a href="[^"]+">([^<]+)</a>', body)
        found.append((title, codes))
    return found


@pytest.fixture
def plan(db):
    year = FiscalYearFactory(year=2569)
    safe = StrategyNodeFactory(level=1, code="1", title="มหานครปลอดภัย")
    green = StrategyNodeFactory(level=1, code="2", title="มหานครสีเขียว")
    safe_obj = StrategyNodeFactory(level=2, code="1.1", title="ปลอดมลพิษ", parent=safe)
    green_obj = StrategyNodeFactory(level=2, code="2.1", title="พื้นที่สีเขียว", parent=green)
    health = AgencyFactory(code="2300", name="สำนักอนามัย")
    works = AgencyFactory(code="2500", name="สำนักการโยธา")

    def make(code, owner, nodes, q4=None, target="10"):
        ind = IndicatorFactory(fiscal_year=year, code=code, owner=owner, annual_target=Decimal(target),
                               unit="แห่ง", decimal_places=0)
        ind.strategy_nodes.set(nodes)
        QuarterResultFactory(indicator=ind, quarter=1, value=Decimal("4"), target=Decimal("2"),
                             score_self=Decimal("100"), score_confirmed=Decimal("100"))
        if q4 is not None:
            QuarterResultFactory(indicator=ind, quarter=4, value=Decimal(q4), score_self=Decimal("90"),
                                 score_confirmed=Decimal("80"))
        return ind

    make("A-1", health, [safe_obj], q4="12")
    make("A-2", works, [safe_obj, green_obj], q4="5")  # supports two dimensions
    make("A-3", health, [green_obj])
    make("A-4", works, [])
    return locals()


def test_grouped_by_dimension(plan, manager_client):
    found = groups(manager_client.get(URL))
    assert found == [
        ("ด้านที่ 1 มหานครปลอดภัย", ["A-1", "A-2"]),
        ("ด้านที่ 2 มหานครสีเขียว", ["A-2", "A-3"]),
        ("ไม่ระบุด้านยุทธศาสตร์", ["A-4"]),
    ]


def test_grouped_by_agency(plan, manager_client):
    found = groups(manager_client.get(URL + "?group_by=agency"))
    assert found == [("2300 สำนักอนามัย", ["A-1", "A-3"]), ("2500 สำนักการโยธา", ["A-2", "A-4"])]


def test_each_group_counts_who_met_their_target(plan, manager_client):
    html = manager_client.get(URL + "?group_by=agency").content.decode()
    bodies = re.findall(r"<tbody>(.*?)</tbody>", html, re.S)
    # สำนักอนามัย: A-1 met the year (12 >= 10); A-3 is not evaluated.
    assert "บรรลุเป้าหมาย 1 จาก 2 ตัวชี้วัด" in page_text(bodies[0])
    # quarter 1: both met their milestone 2 with 4
    assert "บรรลุ 2/2" in page_text(bodies[0])
    assert "บรรลุเป้าหมาย 0 จาก 2 ตัวชี้วัด" in page_text(bodies[1])


def test_quarter_cells_show_target_result_achievement_and_scores(plan, manager_client):
    html = manager_client.get(URL + "?group_by=agency&q=A-1").content.decode()
    row = re.search(r'<tr>\s*<th scope="row".*?</tr>', html, re.S).group(0)
    cells = [page_text(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    # unit, then per quarter: target, result, %, 2.1 / 2.2, then the year status
    assert cells[0] == "แห่ง"
    assert cells[1:5] == ["2", "4", "100.00", "100.00 / 100.00"]       # Q1 against its milestone
    assert cells[5:9] == ["10", "-", "-", "- / -"]               # Q2 not reported, not evaluated
    assert cells[13:17] == ["10", "12", "100.00", "90.00 / 80.00"]    # Q4
    assert cells[17] == "บรรลุเป้าหมาย"


def test_the_list_filters_apply(plan, manager_client):
    found = groups(manager_client.get(URL + "?group_by=agency&status=met"))
    assert found == [("2300 สำนักอนามัย", ["A-1"])]


def test_indicator_column_stays_in_view_and_prints_on_a4_landscape(plan, manager_client):
    html = manager_client.get(URL).content.decode()
    assert '<thead>' in html and 'class="quarterly-scroll"' in html
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/browse.css"), encoding="utf-8").read()
    # The box scrolls sideways only (tests/test_quarterly_table_browser.py measures it).
    assert re.search(r"\.quarterly-scroll \{ overflow-x: auto; overflow-y: hidden;", css)
    assert re.search(r"\.quarterly-table \.group-row th \{ position: sticky; left: 0;", css)
    assert "@page { size: A4 landscape" in css
    assert "display: table-header-group" in css  # header repeats on every printed page


def test_reporter_sees_only_their_agency_rows(plan, client, make_user):
    client.force_login(make_user("reporter", agencies=[plan["health"]]))
    found = groups(client.get(URL + "?group_by=agency"))
    assert found == [("2300 สำนักอนามัย", ["A-1", "A-3"])]


def test_signed_out_visitor_goes_to_sign_in(plan, client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_pages_keep_groups_together_across_page_breaks(db, manager_client, monkeypatch):
    from reports.views import browse as views_browse

    monkeypatch.setattr(views_browse, "TABLE_PAGE_SIZE", 3)
    year = FiscalYearFactory(year=2569)
    owner = AgencyFactory(code="3000", name="สำนักป้องกันและบรรเทาสาธารณภัย")
    for n in range(5):
        IndicatorFactory(fiscal_year=year, owner=owner, code=f"B-{n}")
    first = groups(manager_client.get(URL + "?group_by=agency"))
    second = groups(manager_client.get(URL + "?group_by=agency&page=2"))
    assert first == [("3000 สำนักป้องกันและบรรเทาสาธารณภัย", ["B-0", "B-1", "B-2"])]
    assert second == [("3000 สำนักป้องกันและบรรเทาสาธารณภัย", ["B-3", "B-4"])]
    # the group header counts the whole group, not just this page
    assert "จาก 5 ตัวชี้วัด" in page_text(manager_client.get(URL + "?group_by=agency&page=2").content.decode())
