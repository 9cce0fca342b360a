"""Who sees what, as a matrix over every view and export across indicators:
all go through permissions.visible_indicators."""

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory

pytestmark = pytest.mark.django_db

OWN, OTHER = "OWN-0001", "OTH-0001"
VIEWS = [
    "/",
    "/reports/quarterly/",
    "/reports/quarterly/?group_by=agency",
    "/reports/dashboard/",
    "/indicators/export.csv",
    "/indicators/export.xlsx",
    "/reports/quarterly/export.csv",
    "/reports/quarterly/export.xlsx",
]
SEES = {  # role -> indicator codes they may see
    "reporter": {OWN},
    "evaluator": {OWN, OTHER},
    "manager": {OWN, OTHER},
    "administrator": {OWN, OTHER},
    None: set(),
}


@pytest.fixture
def two_agencies(db):
    year = FiscalYearFactory(year=2569)
    own, other = AgencyFactory(code="7001"), AgencyFactory(code="7002")
    IndicatorFactory(fiscal_year=year, owner=own, code=OWN)
    IndicatorFactory(fiscal_year=year, owner=other, code=OTHER)
    return own


def seen(response, url):
    if url.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(response.content)).active
        cells = {str(c.value) for row in sheet.iter_rows(min_row=2) for c in row}
    elif url.endswith(".csv"):
        cells = {c for row in csv.reader(io.StringIO(response.content.decode("utf-8-sig"))) for c in row}
    elif "dashboard" in url:
        total = int(re.search(r"ตัวชี้วัดทั้งหมด (\d+) ตัวชี้วัด", response.content.decode()).group(1))
        return total
    else:
        cells = set(re.findall(r">((?:OWN|OTH)-\d+)<", response.content.decode()))
    return {code for code in (OWN, OTHER) if code in cells}


@pytest.mark.parametrize("url", VIEWS)
@pytest.mark.parametrize("role", list(SEES))
def test_each_role_sees_only_what_it_may(two_agencies, client, make_user, role, url):
    client.force_login(make_user(role, agencies=[two_agencies]))
    response = client.get(url)
    assert response.status_code == 200
    expected = SEES[role]
    assert seen(response, url) == (len(expected) if "dashboard" in url else expected)


@pytest.mark.parametrize("url", VIEWS)
def test_signed_out_visitors_are_sent_to_sign_in(two_agencies, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
