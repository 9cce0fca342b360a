"""The dashboard: counts by status for a year and quarter, a chart per
strategy dimension and per agency, each bar a link into the filtered list."""

import html as html_lib
import re
from decimal import Decimal

import pytest

from reports.bar_charts import Bar, Segment, stacked_bars

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory, StrategyNodeFactory
from .helpers import codes

pytestmark = pytest.mark.django_db
URL = "/reports/dashboard/"


@pytest.fixture
def data(db):
    year = FiscalYearFactory(year=2569)
    FiscalYearFactory(year=2568)
    dim = StrategyNodeFactory(level=1, code="3", title="มหานครสำหรับทุกคน")
    leaf = StrategyNodeFactory(level=2, code="3.1", title="สังคมผู้สูงอายุ", parent=dim)
    a, b = AgencyFactory(code="2200", name="สำนักการแพทย์"), AgencyFactory(code="2300", name="สำนักอนามัย")

    def make(code, owner, value=None, confirmed=None):
        ind = IndicatorFactory(fiscal_year=year, code=code, owner=owner, annual_target=Decimal("10"))
        ind.strategy_nodes.add(leaf)
        if value is not None:
            QuarterResultFactory(indicator=ind, quarter=4, value=Decimal(value), score_confirmed=confirmed)
        return ind

    make("M-1", a, "10", Decimal("100"))
    make("M-2", a, "12", Decimal("100"))
    make("N-1", b, "3", Decimal("30"))
    make("P-1", b, "3")
    make("R-1", b)
    return locals()


def counts(response):
    html = response.content.decode()
    return {s: int(n) for s, n in re.findall(r'data-status="(\w+)">(\d+)<', html)}


def test_counts_by_status(data, manager_client):
    assert counts(manager_client.get(URL)) == {"met": 2, "not_met": 1, "pending": 1, "not_reported": 1}


def test_counts_for_an_earlier_quarter_and_another_year(data, manager_client):
    # nothing was reported in quarter 1
    assert counts(manager_client.get(URL + "?quarter=1")) == {
        "met": 0, "not_met": 0, "pending": 0, "not_reported": 5}
    assert counts(manager_client.get(URL + "?year=2568")) == {
        "met": 0, "not_met": 0, "pending": 0, "not_reported": 0}


def test_charts_are_accessible_svg(data, manager_client):
    html = manager_client.get(URL).content.decode()
    assert html.count("<svg") == 2
    assert '<title id="chart-dimension-title">ตัวชี้วัดตามสถานะ แยกตามด้านยุทธศาสตร์</title>' in html
    assert '<desc id="chart-agency-desc">' in html
    assert ">สำนักการแพทย์</text>" in html  # bars labelled in text
    assert "3 มหานครสำหรับทุกคน" in html


def test_every_bar_leads_to_the_list_with_the_same_count(data, manager_client):
    html = manager_client.get(URL).content.decode()
    links = re.findall(r'<a href="([^"]+)" aria-label="([^"]+?) (\d+)">', html)
    assert links
    for href, label, count in links:
        listed = codes(manager_client.get(html_lib.unescape(href)))
        assert len(listed) == int(count), (label, href)


def test_status_cards_link_to_the_list(data, manager_client):
    html = manager_client.get(URL).content.decode()
    href = re.search(r'<a class="card status-card h-100" href="([^"]+status=met[^"]*)"', html).group(1)
    assert codes(manager_client.get(html_lib.unescape(href))) == ["M-1", "M-2"]


def test_reporter_counts_only_their_agency(data, client, make_user):
    client.force_login(make_user("reporter", agencies=[data["a"]]))
    assert counts(client.get(URL)) == {"met": 2, "not_met": 0, "pending": 0, "not_reported": 0}
    assert "สำนักอนามัย" not in client.get(URL).content.decode()


def test_signed_out_visitor_goes_to_sign_in(data, client):
    assert client.get(URL)["Location"].startswith("/accounts/login/")


def test_chart_text_is_escaped():
    svg = stacked_bars('<b>"x"</b>', "d", [Bar("<script>", [Segment("met", "ok", 1, "/?a=1&b=2")])],
                       [("met", "ok")], "c")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'href="/?a=1&amp;b=2"' in svg
