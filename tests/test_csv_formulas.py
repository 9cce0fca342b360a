"""Every CSV the app writes neutralises text a spreadsheet would run as a
formula (reports/csv_files): the list and quarterly table (at once and by a
print job), the ranking, the reporting progress and the public open data.
A number cell stays a number, a negative one too."""

import csv
import io
from decimal import Decimal

import pytest

from indicators.models import QuarterResult
from jobs.models import Job
from reports import csv_files

from .factories import AgencyFactory, FiscalYearFactory, IndicatorFactory, QuarterResultFactory
from .helpers import page_text
from .pytest_fixtures import SEED_CODE

pytestmark = pytest.mark.django_db

YEAR = 2569
LINK = '=HYPERLINK("http://evil.example/","คลิกที่นี่")'
AGENCY = "@SUM(1+1)*cmd|' /C calc'!A0"
UNIT = "+1+cmd"


def rows_of(content):
    assert content.startswith("\ufeff".encode("utf-8"))
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def row_with(rows, value):
    return next(row for row in rows if value in row)


@pytest.fixture
def hostile(db):
    """An agency and an indicator named like formulas, with a negative
    target and a negative quarter 1 result (all accepted and scored)."""
    year = FiscalYearFactory(year=YEAR)
    agency = AgencyFactory(code="6600", name=AGENCY)
    indicator = IndicatorFactory(fiscal_year=year, code="6600-0001", owner=agency, name=LINK, unit=UNIT,
                                 annual_target=Decimal("-5"), decimal_places=2, allows_negative=True, weight=100)
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("-3.5"), score_self=Decimal("100"),
                         score_confirmed=Decimal("100"), status=QuarterResult.Status.ACCEPTED)
    return indicator


@pytest.fixture
def staff_client(client, make_user):
    client.force_login(make_user("administrator"))
    return client


def test_the_rule():
    assert [csv_files.cell(text) for text in ("=1", "+1", "-1", "@A", "\tx", "\rx", "ก=1", "")] == [
        "'=1", "'+1", "'-1", "'@A", "'\tx", "'\rx", "ก=1", ""]
    # Numbers by their type: a negative number is a number, a text "-5" is text.
    assert [csv_files.cell(v) for v in (-5, Decimal("-3.50"), csv_files.figure("-3.50"), "-5", None)] == [
        "-5", "-3.50", "-3.50", "'-5", ""]
    with pytest.raises(ValueError):
        csv_files.figure("-1+cmd")


def test_list_csv(hostile, staff_client):
    rows = rows_of(staff_client.get(f"/indicators/export.csv?year={YEAR}").content)
    row = row_with(rows, "6600-0001")
    assert row[1:3] == ["'" + LINK, "'" + AGENCY]
    assert row[5:7] == ["'" + UNIT, "-5.00"]  # the unit is text, the target a number


def test_quarterly_table_csv(hostile, staff_client):
    rows = rows_of(staff_client.get(f"/reports/quarterly/export.csv?year={YEAR}&group_by=agency").content)
    row = row_with(rows, "6600-0001")
    assert row[2:5] == ["'" + LINK, "'" + AGENCY, "'" + UNIT]
    assert row[6:8] == ["-5.00", "-3.50"]  # quarter 1's target and result (after the aggregation)


@pytest.mark.parametrize("url", [f"/indicators/export.csv?year={YEAR}",
                                 f"/reports/quarterly/export.csv?year={YEAR}&group_by=agency"])
def test_csv_made_by_a_print_job(hostile, staff_client, settings, url):
    settings.EXPORT_JOB_ROWS = 0
    staff_client.post(url)
    job = Job.objects.get()
    assert job.status == Job.Status.DONE
    content = b"".join(staff_client.get(f"/jobs/{job.pk}/download/").streaming_content)
    row = row_with(rows_of(content), "6600-0001")
    assert "'" + LINK in row and LINK not in row and "-5.00" in row


def test_ranking_csv(hostile, staff_client):
    rows = rows_of(staff_client.get(f"/scorecards/{YEAR}/ranking.csv").content)
    row = row_with(rows, "6600")
    assert row[2] == "'" + AGENCY and AGENCY not in row


def test_progress_csv(hostile, staff_client):
    rows = rows_of(staff_client.get(f"/reports/progress/export.csv?year={YEAR}&quarter=1").content)
    row = next(row for row in rows if "'" + AGENCY in row)
    assert AGENCY not in row


def test_public_open_data_csv(client, seed):
    seed.name, seed.annual_target, seed.allows_negative = LINK, Decimal("-5"), True
    seed.save()
    seed.owner.name = AGENCY
    seed.owner.save()
    response = client.get("/public/2563/data.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(row for row in rows if row["code"] == SEED_CODE)
    assert row["name"] == "'" + LINK and row["agency_name"] == "'" + AGENCY
    assert row["annual_target"] == "-5"  # a number stays a number
    assert row["q3_value"] == "70" and row["page_url"] == f"/public/2563/indicators/{SEED_CODE}/"
    # The data dictionary tells the files' readers.
    assert "ข้อความที่ขึ้นต้นด้วย = + - @ แท็บ หรืออักขระขึ้นบรรทัด มีเครื่องหมาย ' นำหน้า" in page_text(
        client.get("/public/data/"))
