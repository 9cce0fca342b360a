"""A year in progress opens at the quarter being reported (the latest whose
reporting window has opened), not at quarter 4; a finished year at the
year. Quarters not yet due read "-", not "รอการประเมิน". Managers land on
the dashboard when they sign in."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from indicators.models import Quarter

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory
from .helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_progress(db):
    """FY 2570 with quarter 1's window opened last week and the rest to
    come; two indicators have quarter 1 accepted, one met and one not."""
    today = timezone.localdate()
    year = FiscalYearFactory(year=2570)
    for number in (1, 2, 3, 4):
        opens = today - datetime.timedelta(days=7) + datetime.timedelta(days=90 * (number - 1))
        Quarter.objects.create(fiscal_year=year, number=number, opens_on=opens,
                               closes_on=opens + datetime.timedelta(days=60))
    owner = AgencyFactory(code="2100")
    met = IndicatorFactory(fiscal_year=year, owner=owner, code="2100-0001", annual_target=Decimal("10"))
    QuarterResultFactory(indicator=met, quarter=1, target=Decimal("2"), value=Decimal("3"),
                         score_self=100, score_confirmed=100, status="accepted")
    missed = IndicatorFactory(fiscal_year=year, owner=owner, code="2100-0002", annual_target=Decimal("10"))
    QuarterResultFactory(indicator=missed, quarter=1, target=Decimal("4"), value=Decimal("1"),
                         score_self=25, score_confirmed=25, status="accepted")
    return {"year": year, "met": met}


def selected_quarter(html):
    select = re.search(r'<select[^>]*name="quarter"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.search(r'<option value="(\d)" selected>', select).group(1)


def test_the_list_and_dashboard_open_at_the_quarter_being_reported(in_progress, manager_client):
    listing = manager_client.get("/")
    assert selected_quarter(listing.content.decode()) == "1"
    assert "สถานะ ณ ไตรมาสที่ 1" in page_text(listing)
    assert page_text(listing).count("บรรลุเป้าหมาย") >= 1 and "ไม่บรรลุเป้าหมาย" in page_text(listing)

    dashboard = manager_client.get("/reports/dashboard/")
    assert selected_quarter(dashboard.content.decode()) == "1"
    assert "ไตรมาสที่ 1" in page_text(dashboard)
    assert dashboard.context["quarter"] == 1

    table = manager_client.get("/reports/quarterly/")
    assert selected_quarter(table.content.decode()) == "1"
    # A quarter chosen in the URL is kept.
    assert selected_quarter(manager_client.get("/?quarter=4").content.decode()) == "4"


def test_a_finished_year_opens_at_the_year(in_progress, manager_client):
    Quarter.objects.filter(fiscal_year=in_progress["year"]).update(opens_on=datetime.date(2020, 1, 1))
    assert selected_quarter(manager_client.get("/").content.decode()) == "4"


def test_quarters_not_yet_due_read_a_dash_on_the_indicator_page(in_progress, manager_client):
    html = manager_client.get(in_progress["met"].get_absolute_url()).content.decode()
    table = re.search(r'<table[^>]*quarter-table.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    assert len(rows) == 4
    assert "100.00" in rows[0]
    for row in rows[1:]:
        cells = [page_text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert "รอการประเมิน" not in " ".join(cells) and "ยังไม่รายงาน" not in " ".join(cells)
        assert cells[1:3] == ["-", "-"] and cells[3].startswith("-")
        assert 'title="ยังไม่ถึงกำหนดรายงาน"' in row


def test_a_manager_signing_in_at_the_sites_address_lands_on_the_dashboard(in_progress, client, make_user):
    manager = make_user("manager")
    to_login = client.get("/")
    assert to_login.status_code == 302 and to_login["Location"] == "/accounts/login/"
    signed_in = client.post("/accounts/login/", {"username": manager.username, "password": "pass-1234-word"},
                            follow=True)
    assert signed_in.redirect_chain[-1][0] == "/reports/dashboard/"
    assert "ไตรมาสที่ 1" in page_text(signed_in)


def test_a_filtered_list_is_still_returned_to_after_signing_in(in_progress, client, make_user):
    reporter = make_user("reporter")
    to_login = client.get("/?agency=2100")
    assert to_login["Location"] == "/accounts/login/?next=/%3Fagency%3D2100"
    signed_in = client.post(to_login["Location"], {"username": reporter.username, "password": "pass-1234-word",
                                                   "next": "/?agency=2100"})
    assert signed_in["Location"] == "/?agency=2100"


def test_the_api_and_exports_keep_quarter_4_as_their_default(in_progress, make_user):
    from indicators.filters import filter_for

    filterset, _years = filter_for(make_user("manager"), {})
    assert filterset.status_quarter == 4  # a default that changes with the date is no default for a program
