"""An indicator's trend across years (issue 12): the same code's earlier
years on its page, kept fresh by the sheet version, and the list's filter
"ผลลดลงจากปีก่อน"."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import Agency, QuarterResult

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory
from .helpers import codes, page_text


def year_of(year, code, values, *, target=D(100), owner, confirmed=None, **kw):
    indicator = IndicatorFactory(fiscal_year=FiscalYearFactory(year=year), code=code, owner=owner,
                                 annual_target=target, unit="คน", **kw)
    for quarter, value in enumerate(values, start=1):
        if value is not None:
            QuarterResult.objects.create(indicator=indicator, quarter=quarter, value=D(value),
                                         score_confirmed=confirmed if quarter == 4 else None)
    return indicator


@pytest.fixture
def years(db):
    owner = AgencyFactory()
    old = year_of(2567, "TR-1", [20, 40, 60, 90], target=D(80), owner=owner, confirmed=D(100))
    last = year_of(2568, "TR-1", [30, 50, 70, 75], owner=owner, confirmed=D(75))
    this = year_of(2569, "TR-1", [25, None, None, None], owner=owner)
    return old, last, this


def test_page_shows_earlier_years_with_chart_and_table(years, manager_client):
    old, last, this = years
    response = manager_client.get(this.get_absolute_url())
    html = response.content.decode()
    assert 'id="trend"' in html and "trend-chart" in html
    table = html[html.index('id="trend-table"'):]
    rows = [page_text(part.split("</tr>")[0]).strip() for part in table.split("<tr data-year=")[1:]]
    # oldest first; 90 / 80 capped at 100 %; 75 / 100 = 75 %; the running year pending.
    assert rows[0].startswith('"2567"') and "80 คน 90 คน 100.00 บรรลุเป้าหมาย 100.00" in rows[0]
    assert "100 คน 75 คน 75.00 ไม่บรรลุเป้าหมาย 75.00" in rows[1]
    assert "100 คน 25 คน 25.00 รอการประเมิน รอการประเมิน" in rows[2]
    assert f'href="{last.get_absolute_url()}"' in table
    # Later years are not this page's past.
    assert "2570" not in page_text(table)


def test_only_one_year_shows_no_trend(db, manager_client):
    indicator = year_of(2569, "TR-ALONE", [10], owner=AgencyFactory())
    assert 'id="trend"' not in manager_client.get(indicator.get_absolute_url()).content.decode()


def test_an_earlier_years_change_reaches_the_cached_page(years, manager_client):
    old, last, this = years
    assert "ไม่บรรลุเป้าหมาย" in page_text(manager_client.get(this.get_absolute_url()))  # cached now
    result = QuarterResult.objects.get(indicator=last, quarter=4)
    result.value = D(120)
    result.save()
    html = manager_client.get(this.get_absolute_url()).content.decode()
    row = page_text(html.split('<tr data-year="2568"')[1].split("</tr>")[0])
    assert "120 คน 100.00 บรรลุเป้าหมาย" in row
    # …and an earlier indicator's own change (its target) too.
    last.annual_target = D(240)
    last.save()
    html = manager_client.get(this.get_absolute_url()).content.decode()
    assert "240 คน 120 คน 50.00" in page_text(html.split('<tr data-year="2568"')[1].split("</tr>")[0])


def test_a_later_change_leaves_earlier_sheets_alone(years):
    old, last, this = years
    before = type(old).objects.get(pk=old.pk).sheet_version
    QuarterResult.objects.create(indicator=this, quarter=2, value=D(30))
    assert type(old).objects.get(pk=old.pk).sheet_version == before


# --- the list filter --------------------------------------------------------------

@pytest.fixture
def pairs(db):
    owner = AgencyFactory()
    # Q1 achievement this year against last year's Q1 (value to date / target):
    year_of(2568, "DOWN", [60], owner=owner)   # 60 % → 40 %: declined
    year_of(2569, "DOWN", [40], owner=owner)
    year_of(2568, "UP", [40], owner=owner)     # 40 % → 60 %
    year_of(2569, "UP", [60], owner=owner)
    year_of(2568, "SAME", [50], owner=owner)   # equal: not a decline
    year_of(2569, "SAME", [50], owner=owner)
    year_of(2569, "NEW", [10], owner=owner)    # no last year to compare with
    year_of(2568, "SILENT", [90], owner=owner)  # nothing reported this year
    year_of(2569, "SILENT", [None], owner=owner)
    # Compared at Q2 (a milestone of 50 this year): 45 / 50 = 90 % against last year's 80 / 100.
    year_of(2568, "Q2", [10, 80], owner=owner)
    q2 = year_of(2569, "Q2", [10, 45], owner=owner)
    QuarterResult.objects.filter(indicator=q2, quarter=2).update(target=D(50))


def test_declined_versus_last_year(pairs, manager_client):
    response = manager_client.get("/?year=2569&change=declined&quarter=1")
    assert codes(response) == ["DOWN"]
    assert "ผลลดลงจากปีก่อน" in response.content.decode()


def test_declined_compares_the_same_quarter(pairs, manager_client):
    # At Q2: DOWN, UP, SAME... report nothing in Q2, so only Q2 is compared: 90 % against 80 % is no decline.
    assert codes(manager_client.get("/?year=2569&change=declined&quarter=2")) == []
    QuarterResult.objects.filter(indicator__code="Q2", indicator__fiscal_year__year=2569, quarter=2).update(
        value=D(35))  # 70 % against 80 %
    assert codes(manager_client.get("/?year=2569&change=declined&quarter=2")) == ["Q2"]


def test_declined_filter_is_applied_to_exports_too(pairs, manager_client):
    body = manager_client.get("/indicators/export.csv?year=2569&change=declined&quarter=1").content.decode("utf-8-sig")
    assert "DOWN" in body and "UP" not in body


def test_declined_filter_runs_a_fixed_number_of_queries(pairs, client, make_user):
    from demo import synthetic

    quiet = {"narratives": False, "log": lambda *a: None}
    synthetic.generate(indicators=20, years=2, last_year=2569, **quiet)
    client.force_login(make_user("manager"))
    url = "/?year=2569&change=declined&quarter=1"  # DOWN declines at both sizes

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    synthetic.generate(indicators=2000, years=2, last_year=2569, seed=11, **quiet)
    assert Agency.objects.exists()
    assert count() == small
    assert small <= 17  # the list, and 4 to compare with last year
