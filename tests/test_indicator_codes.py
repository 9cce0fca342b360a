"""Indicator codes (issue 16, point 1): a code with "/" is refused where it
is written, with a Thai message; and a row written before the check existed
never takes a page down: every page that links to it renders, and the link
opens the indicator."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from indicators.codes import IndicatorCodeConverter
from indicators.models import Indicator, QuarterResult

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory

pytestmark = pytest.mark.django_db

BAD_CODE = "9973/0001"
THAI_MESSAGE = "รหัสตัวชี้วัดใช้ได้เฉพาะตัวอักษร ตัวเลข จุด (.) ขีด (-) และขีดล่าง (_)"


@pytest.mark.parametrize("code", ["2100-1037", "5013-0001", "5.2.1-01", "กทม-01", "A_1"])
def test_ordinary_codes_are_accepted(code):
    indicator = IndicatorFactory.build(code=code, fiscal_year=FiscalYearFactory(), owner=AgencyFactory())
    indicator.full_clean()


@pytest.mark.parametrize("code", [BAD_CODE, "99 73", "-1", ".", "a?b", "a#b", "50%", "..", "a\\b"])
def test_codes_a_url_cannot_carry_are_refused_by_the_model(code):
    indicator = IndicatorFactory.build(code=code, fiscal_year=FiscalYearFactory(), owner=AgencyFactory())
    with pytest.raises(ValidationError) as refused:
        indicator.full_clean()
    assert THAI_MESSAGE in refused.value.message_dict["code"][0]


def test_admin_refuses_a_code_with_a_slash(client, make_user):
    admin = make_user()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    year, owner = FiscalYearFactory(year=2570), AgencyFactory()
    data = {
        "fiscal_year": year.pk, "code": BAD_CODE, "name": "ตัวชี้วัดทดสอบ", "owner": owner.pk, "unit": "ครั้ง",
        "annual_target": "5", "category": "ทดสอบ", "weight": "0", "aggregation": "cumulative",
        "direction": "higher", "decimal_places": "0",
        "quarter_results-TOTAL_FORMS": "0", "quarter_results-INITIAL_FORMS": "0",
        "quarter_results-MIN_NUM_FORMS": "0", "quarter_results-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/admin/indicators/indicator/add/", data)
    assert response.status_code == 200
    assert THAI_MESSAGE in response.content.decode()
    assert not Indicator.objects.filter(code=BAD_CODE).exists()
    # The same form with a good code is saved: the refusal was the code's.
    response = client.post("/admin/indicators/indicator/add/", {**data, "code": "9973-0001"})
    assert response.status_code == 302
    assert Indicator.objects.filter(code="9973-0001").exists()


@pytest.mark.parametrize("code", [BAD_CODE, "50%2F", "a%b/c", "กทม/๑"])
def test_the_converter_round_trips_any_stored_code(code):
    converter = IndicatorCodeConverter()
    in_url = converter.to_url(code)
    assert "/" not in in_url
    assert converter.to_python(in_url) == code


@pytest.fixture
def legacy_row(db, make_user):
    """An indicator whose code was written before codes were checked
    (QuerySet.update skips validation, as old data or bulk SQL would)."""
    year = FiscalYearFactory(year=2570)
    owner = AgencyFactory(code="5013", name="สำนักงานเขตราชเทวี")
    indicator = IndicatorFactory(fiscal_year=year, owner=owner, code="9973-0001", annual_target=Decimal("5"))
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("3"),
                         status=QuarterResult.Status.SUBMITTED, submitted_at=timezone.now())
    IndicatorFactory(fiscal_year=year, owner=owner, code="5013-0001")
    Indicator.objects.filter(pk=indicator.pk).update(code=BAD_CODE)
    indicator.refresh_from_db()
    return indicator


# Each page that lists indicators, and the roles whose view of it lists the row.
LISTING_PAGES = [
    ("/", ("manager", "evaluator", "reporter")),
    ("/?year=2570", ("manager", "evaluator", "reporter")),
    ("/my-indicators/", ("reporter",)),
    ("/reports/quarterly/?year=2570", ("manager", "evaluator", "reporter")),
    ("/reports/quarterly/?year=2570&group_by=agency", ("manager", "evaluator", "reporter")),
    ("/review/", ("evaluator",)),
    ("/indicators/export.csv?year=2570", ("manager", "evaluator", "reporter")),
]


@pytest.mark.parametrize("url, roles", LISTING_PAGES)
def test_a_legacy_code_with_a_slash_takes_no_page_down(legacy_row, client, make_user, url, roles):
    for role in roles:
        client.force_login(make_user(role, agencies=[legacy_row.owner] if role == "reporter" else ()))
        response = client.get(url)
        assert response.status_code == 200, role
        assert BAD_CODE in response.content.decode("utf-8-sig"), role


def test_the_dashboard_counts_the_legacy_row(legacy_row, manager_client):
    html = manager_client.get("/reports/dashboard/?year=2570&quarter=1").content.decode()
    assert re.search(r"ตัวชี้วัดทั้งหมด 2 ตัวชี้วัด", html)


def test_the_legacy_rows_own_pages_open_from_its_link(legacy_row, client, make_user):
    client.force_login(make_user("evaluator"))
    listed = client.get("/?year=2570").content.decode()
    link = re.search(r'href="([^"]+)">' + re.escape(BAD_CODE) + "<", listed).group(1)
    assert link == reverse("indicators:detail", args=[2570, BAD_CODE]) == legacy_row.get_absolute_url()
    page = client.get(link)
    assert page.status_code == 200 and BAD_CODE in page.content.decode()
    for name, args in (("printing:sheet", []), ("entry:history", []), ("review:quarter", [1])):
        response = client.get(reverse(name, args=[2570, BAD_CODE, *args]))
        assert response.status_code == 200, name
