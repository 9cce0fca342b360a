"""The review queue: what is waiting, in what order, filtered and counted, for
evaluators only, at a fixed number of queries."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import strip_tags

from indicators.models import QuarterResult

from .conftest import SEED_CODE
from .factories import (
    AgencyFactory,
    DistrictGroupFactory,
    FiscalYearFactory,
    IndicatorFactory,
    NarrativeFactory,
    QuarterResultFactory,
)
from .helpers import page_text

QUEUE = "/review/"


def queue_codes(response):
    """Indicator codes in the queue's rows, in order, with their quarter."""
    table = response.content.decode().split('id="review-queue"', 1)[-1].split("</table>", 1)[0]
    return re.findall(r'href="/review/\d+/([^/]+)/(\d)/">[^<]*</a><br>', table)


def waiting(indicator=None, quarter=1, days_ago=1, **fields):
    return QuarterResultFactory(
        indicator=indicator or IndicatorFactory(), quarter=quarter, status="submitted",
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago), **fields,
    )


def test_evaluator_sees_the_seed_quarter_four_waiting(seed, evaluator_client):
    response = evaluator_client.get(QUEUE)
    assert response.status_code == 200
    assert queue_codes(response) == [(SEED_CODE, "4")]
    assert "พบ 1 รายการ" in page_text(response)


def test_oldest_submission_first_and_only_submitted_quarters(db, evaluator_client):
    newest = waiting(days_ago=1)
    oldest = waiting(days_ago=30)
    middle = waiting(days_ago=7)
    for status in ("draft", "returned", "accepted", "not_started"):
        QuarterResultFactory(status=status)
    codes = [code for code, _q in queue_codes(evaluator_client.get(QUEUE))]
    assert codes == [oldest.indicator.code, middle.indicator.code, newest.indicator.code]


def test_filter_by_fiscal_year_quarter_and_agency(db, evaluator_client):
    year_a, year_b = FiscalYearFactory(year=2566), FiscalYearFactory(year=2567)
    agency = AgencyFactory()
    a1 = waiting(IndicatorFactory(fiscal_year=year_a, owner=agency), quarter=1)
    a2 = waiting(IndicatorFactory(fiscal_year=year_a), quarter=2)
    b2 = waiting(IndicatorFactory(fiscal_year=year_b, owner=agency), quarter=2)

    def codes(query):
        return {code for code, _q in queue_codes(evaluator_client.get(QUEUE, query))}

    assert codes({"fiscal_year": year_a.pk}) == {a1.indicator.code, a2.indicator.code}
    assert codes({"quarter": 2}) == {a2.indicator.code, b2.indicator.code}
    assert codes({"agency": agency.pk}) == {a1.indicator.code, b2.indicator.code}
    assert codes({"agency": agency.pk, "quarter": 2, "fiscal_year": year_b.pk}) == {b2.indicator.code}


def test_filter_by_district_group_takes_offices_and_group_reports(db, evaluator_client):
    group, other = DistrictGroupFactory(name="กลุ่มทดสอบเหนือ"), DistrictGroupFactory()
    office = waiting(IndicatorFactory(owner=AgencyFactory(kind="district_office", district_group=group)))
    # A department's indicator reporting a part for the group in that quarter.
    reporting = waiting(quarter=4)
    NarrativeFactory(indicator=reporting.indicator, quarter=4, district_group=group, text="ส่วนของกลุ่ม")
    # A part for the group in another quarter does not count.
    elsewhere = waiting(quarter=2)
    NarrativeFactory(indicator=elsewhere.indicator, quarter=1, district_group=group, text="ไตรมาสอื่น")
    waiting(IndicatorFactory(owner=AgencyFactory(kind="district_office", district_group=other)))

    codes = {code for code, _q in queue_codes(evaluator_client.get(QUEUE, {"district_group": group.pk}))}
    assert codes == {office.indicator.code, reporting.indicator.code}


def test_counts_per_quarter_follow_the_other_filters(db, evaluator_client):
    agency = AgencyFactory()
    for quarter, n in ((1, 2), (2, 1), (4, 3)):
        for _ in range(n):
            waiting(IndicatorFactory(owner=agency), quarter=quarter)
    waiting(quarter=3)  # another agency
    html = evaluator_client.get(QUEUE, {"agency": agency.pk, "quarter": 4}).content.decode()
    counts = dict(re.findall(r'data-quarter="(\d)">(\d+)<', html))
    assert counts == {"1": "2", "2": "1", "3": "0", "4": "3"}
    assert "พบ 3 รายการ" in re.sub(r"\s+", " ", strip_tags(html))


def test_an_invalid_filter_value_is_a_message_not_an_error(db, evaluator_client):
    waiting()
    response = evaluator_client.get(QUEUE, {"quarter": "9", "agency": "abc"})
    assert response.status_code == 200
    assert "invalid-feedback" in response.content.decode()


def _queue_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(QUEUE, {"page": 1}).status_code == 200
    return len(ctx.captured_queries)


def test_queue_query_count_is_fixed(db, evaluator_client):
    group = DistrictGroupFactory()
    waiting(IndicatorFactory(owner=AgencyFactory(district_group=group)))
    small = _queue_queries(evaluator_client)
    for n in range(40):
        agency = AgencyFactory(district_group=group if n % 2 else None)
        year = FiscalYearFactory(year=2560 + n % 5)
        waiting(IndicatorFactory(owner=agency, fiscal_year=year), quarter=1 + n % 4, days_ago=n,
                submitted_by=None, value=Decimal(n))
    large = _queue_queries(evaluator_client)
    assert QuarterResult.objects.filter(status="submitted").count() == 41
    assert small == large
    assert large <= 12


@pytest.mark.parametrize("role", [None, "reporter", "manager", "administrator"])
def test_only_evaluators_see_the_queue(seed, client, make_user, role):
    client.force_login(make_user(role, agencies=[seed.owner]))
    assert client.get(QUEUE).status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in(seed, client):
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_evaluator_lands_on_the_queue_after_signing_in(seed, client):
    response = client.post("/accounts/login/", {"username": "evaluator", "password": "demo-evaluator-2563"},
                           follow=True)
    assert response.redirect_chain[-1][0] == QUEUE
    assert queue_codes(response) == [(SEED_CODE, "4")]


@pytest.mark.parametrize("username,password,landing", [
    ("reporter", "demo-reporter-2563", "/"), ("manager", "demo-manager-2563", "/reports/dashboard/"),
])
def test_others_land_on_their_home_page(seed, client, username, password, landing):
    response = client.post("/accounts/login/", {"username": username, "password": password}, follow=True)
    assert response.redirect_chain[-1][0] == landing
    assert response.status_code == 200


def test_a_next_url_still_wins_over_the_landing(seed, client):
    url = f"/indicators/2563/{SEED_CODE}/"
    response = client.post(f"/accounts/login/?next={url}",
                           {"username": "evaluator", "password": "demo-evaluator-2563", "next": url})
    assert response["Location"] == url
