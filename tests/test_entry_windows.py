"""Reporting windows and the review lock on the report form, and the
reporter's "my indicators" page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from indicators.models import FiscalYear, QuarterResult
from reports.selectors import fiscal_year_of

from .entry_support import open_indicator, post_report, report_url, set_window
from .factories import AgencyFactory, IndicatorFactory, QuarterResultFactory
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def indicator(db):
    return open_indicator()


@pytest.fixture
def reporter(make_user, indicator):
    return make_user("reporter", [indicator.owner])


@pytest.fixture
def reporter_client(client, reporter):
    client.force_login(reporter)
    return client


def test_closed_window_is_read_only_with_the_reason(reporter_client, indicator):
    quarter = set_window(indicator, 1, open_now=False)
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("7"), status="draft")
    response = reporter_client.get(report_url(indicator))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ขณะนี้อยู่นอกช่วงเวลา" in page
    assert 'id="report-form"' not in page
    assert "ส่งผลเพื่อตรวจประเมิน" not in page
    assert f"{quarter.closes_on.day} " in page  # the window's dates are given

    response = post_report(reporter_client, indicator, value="99")
    assert response.status_code == 403
    assert QuarterResult.objects.get(indicator=indicator, quarter=1).value == Decimal("7")


def test_quarter_without_a_window_is_read_only(reporter_client, indicator):
    assert "ยังไม่ได้กำหนดช่วงเวลารายงานผลของไตรมาสนี้" in reporter_client.get(report_url(indicator, 3)).content.decode()
    assert post_report(reporter_client, indicator, 3, value="1").status_code == 403
    assert not QuarterResult.objects.filter(indicator=indicator, quarter=3).exists()


def test_administrator_reopened_quarter_is_editable_until_the_date(reporter_client, indicator):
    set_window(indicator, 1, open_now=False)
    today = timezone.localdate()
    QuarterResultFactory(indicator=indicator, quarter=1, value=None, status="not_started",
                         reopened_until=today + datetime.timedelta(days=2))
    assert post_report(reporter_client, indicator, value="4").status_code == 302
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert result.value == Decimal("4")

    result.reopened_until = today - datetime.timedelta(days=1)
    result.save()
    assert post_report(reporter_client, indicator, value="5").status_code == 403


def test_administrator_may_edit_outside_the_window(client, make_user, indicator):
    set_window(indicator, 1, open_now=False)
    client.force_login(make_user("administrator"))
    assert post_report(client, indicator, value="8").status_code == 302
    saved = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert (saved.value, saved.status, saved.history.count()) == (Decimal("8"), "draft", 1)


@pytest.mark.parametrize("status, reason", [
    ("submitted", "อยู่ระหว่างรอผู้ตรวจประเมินตรวจสอบ"),
    ("accepted", "ผ่านการตรวจรับแล้วและถูกล็อก"),
])
def test_submitted_and_accepted_quarters_are_locked(reporter_client, indicator, status, reason):
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("3"), status=status)
    assert reason in reporter_client.get(report_url(indicator)).content.decode()
    assert post_report(reporter_client, indicator, value="30", action="submit").status_code == 403
    assert QuarterResult.objects.get(indicator=indicator, quarter=1).value == Decimal("3")


def test_returned_quarter_shows_the_comment_and_can_be_corrected(reporter_client, indicator):
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("3"), status="returned",
                         reviewer_comment="โปรดแนบภาพถ่ายกิจกรรม")
    page = reporter_client.get(report_url(indicator)).content.decode()
    assert "ผู้ตรวจประเมินส่งกลับให้แก้ไข" in page and "โปรดแนบภาพถ่ายกิจกรรม" in page

    # A draft keeps the quarter "returned" so the comment stays in view...
    assert post_report(reporter_client, indicator, value="4").status_code == 302
    assert QuarterResult.objects.get(indicator=indicator, quarter=1).status == "returned"
    # ...until the corrected report is submitted.
    assert post_report(reporter_client, indicator, value="5", action="submit").status_code == 302
    assert QuarterResult.objects.get(indicator=indicator, quarter=1).status == "submitted"


def test_fiscal_year_of():
    assert fiscal_year_of(datetime.date(2026, 9, 30)) == 2569
    assert fiscal_year_of(datetime.date(2026, 10, 1)) == 2570
    assert fiscal_year_of(datetime.date(2027, 3, 1)) == 2570


def _current_year_indicator(owner, **kwargs):
    year = fiscal_year_of(timezone.localdate())
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=year)
    return IndicatorFactory(fiscal_year=fiscal_year, owner=owner, **kwargs)


def test_my_indicators_lists_my_agencys_current_indicators_with_states(client, make_user):
    agency = AgencyFactory()
    client.force_login(make_user("reporter", [agency]))
    mine = _current_year_indicator(agency, code="MINE-1")
    set_window(mine, 2)
    QuarterResultFactory(indicator=mine, quarter=1, status="returned", reviewer_comment="ตัวเลขไม่ตรงหลักฐาน")
    QuarterResultFactory(indicator=mine, quarter=2, status="draft")
    other_agency = _current_year_indicator(AgencyFactory(), code="OTHER-1")
    last_year = IndicatorFactory(fiscal_year=FiscalYear.objects.get_or_create(year=2500)[0], owner=agency, code="OLD-1")

    response = client.get("/my-indicators/")
    assert response.status_code == 200
    page = response.content.decode()
    assert mine.code in page
    assert other_agency.code not in page and last_year.code not in page
    assert 'data-quarter="1" data-status="returned"' in page and "ตัวเลขไม่ตรงหลักฐาน" in page
    assert 'data-quarter="2" data-status="draft"' in page
    assert 'data-quarter="3" data-status="not_started"' in page
    # The quarter open now is highlighted, and only it.
    assert page.count("quarter-open") == 1
    assert 'quarter-open" data-quarter="2"' in page
    assert "ไตรมาสที่ 2 เปิดให้รายงานผล" in page


def test_my_indicators_highlights_a_quarter_reopened_for_one_indicator(client, make_user):
    agency = AgencyFactory()
    client.force_login(make_user("reporter", [agency]))
    reopened = _current_year_indicator(agency, code="REOPENED")
    plain = _current_year_indicator(agency, code="PLAIN")
    QuarterResultFactory(indicator=reopened, quarter=3, status="draft",
                         reopened_until=timezone.localdate() + datetime.timedelta(days=3))
    page = client.get("/my-indicators/").content.decode()
    assert page.count("quarter-open") == 1
    assert page.index("PLAIN") < page.index("REOPENED") < page.index("quarter-open")  # rows by code
    assert plain.code in page


def test_my_indicators_query_count_is_fixed(client, make_user):
    agency = AgencyFactory()
    client.force_login(make_user("reporter", [agency]))
    first = _current_year_indicator(agency)
    set_window(first, 1)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/my-indicators/").status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _ in range(8):
        other = _current_year_indicator(agency)
        for quarter in (1, 2, 3):
            QuarterResultFactory(indicator=other, quarter=quarter, status="draft")
    assert count() == small


def test_administrator_sets_windows_on_one_admin_page(client, indicator):
    from django.contrib.auth import get_user_model

    admin_user = get_user_model().objects.create_superuser("root", password="x-pass-1234")
    client.force_login(admin_user)
    quarter = set_window(indicator, 1)
    response = client.get("/admin/indicators/quarter/")
    assert response.status_code == 200
    assert 'name="form-0-opens_on"' in response.content.decode()

    today = timezone.localdate()
    response = client.post(f"/admin/indicators/quarter/{quarter.pk}/change/", {
        "fiscal_year": indicator.fiscal_year.pk, "number": 1,
        "opens_on": today.isoformat(), "closes_on": (today - datetime.timedelta(days=1)).isoformat(),
    })
    assert response.status_code == 200
    assert "วันปิดรายงานต้องไม่ก่อนวันเปิดรายงาน" in response.content.decode()
    quarter.refresh_from_db()
    assert quarter.closes_on > today


def test_reporters_cannot_reach_the_admin(reporter_client):
    response = reporter_client.get("/admin/indicators/quarter/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_role_groups_carry_model_permissions(db):
    from django.contrib.auth.models import Group

    from indicators.permissions import ensure_role_groups

    ensure_role_groups()
    perms = {g.name: {f"{p.content_type.app_label}.{p.codename}" for p in g.permissions.all()}
             for g in Group.objects.prefetch_related("permissions__content_type")}
    assert "reports.add_evidence" in perms["reporter"] and "indicators.change_indicator" not in perms["reporter"]
    assert "indicators.view_indicator" in perms["manager"] and "reports.change_narrative" not in perms["manager"]
    assert "indicators.change_quarterresult" in perms["evaluator"]
    assert {"indicators.change_quarter", "indicators.change_indicator", "auth.change_user"} <= perms["administrator"]


def _returned_by_evaluator(indicator, evaluator, correct_by):
    from evaluation import services

    result = QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("3"), status="submitted")
    return services.return_for_correction(result=result, user=evaluator, expected_version=result.version,
                                            comment="โปรดแนบภาพถ่ายกิจกรรม", correct_by=correct_by)


def test_a_returned_quarter_says_the_evaluator_returned_it_and_by_when(reporter_client, indicator, evaluator):
    """Issue 29 point 8: not "ผู้ดูแลระบบเปิดให้แก้ไขเป็นกรณีพิเศษ" for an evaluator's
    return with a correction date inside the window: who returned it, when,
    and the date they asked for."""
    from indicators.text import thai_date

    evaluator.first_name, evaluator.last_name = "สมศรี", "ตรวจดี"
    evaluator.save()
    window = set_window(indicator, 1)
    asked = window.closes_on - datetime.timedelta(days=3)
    _returned_by_evaluator(indicator, evaluator, correct_by=asked)
    page = page_text(reporter_client.get(report_url(indicator)))
    assert "ผู้ดูแลระบบ" not in page and "กรณีพิเศษ" not in page
    today = thai_date(timezone.localdate())
    assert f"ผู้ตรวจประเมินส่งกลับให้แก้ไขเมื่อ {today} (โดย สมศรี ตรวจดี) · ขอให้ส่งฉบับแก้ไขภายใน {thai_date(asked)}" in page
    assert "สิ่งที่ต้องแก้ไข: โปรดแนบภาพถ่ายกิจกรรม" in page


def test_a_return_without_a_date_still_open_gives_the_windows_close(reporter_client, indicator, evaluator):
    from indicators.text import thai_date

    window = set_window(indicator, 1)
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("3"), status="returned",
                         reviewer_comment="แก้ไข", reopened_until=timezone.localdate() - datetime.timedelta(days=1))
    page = page_text(reporter_client.get(report_url(indicator)))
    assert f"ผู้ตรวจประเมินส่งกลับให้แก้ไข · แก้ไขและส่งอีกครั้งได้ถึง {thai_date(window.closes_on)}" in page
    assert "ขอให้ส่งฉบับแก้ไขภายใน" not in page and "กรณีพิเศษ" not in page


def test_an_accepted_quarter_says_nothing_of_its_return(reporter_client, indicator, evaluator):
    from evaluation import services

    _returned_by_evaluator(indicator, evaluator, correct_by=timezone.localdate() + datetime.timedelta(days=30))
    assert post_report(reporter_client, indicator, value="4", action="submit").status_code == 302
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    services.accept(result=result, user=evaluator, expected_version=result.version)
    assert result.reopened_until is not None  # still stored: only the page stops mentioning it
    page = page_text(reporter_client.get(report_url(indicator)))
    assert "ผ่านการตรวจรับแล้วและถูกล็อก" in page
    for said in ("เปิดให้แก้ไขเป็นกรณีพิเศษ", "แก้ไขและส่งอีกครั้งได้ถึง", "ส่งกลับให้แก้ไข"):
        assert said not in page


def test_an_administrators_extension_past_the_window_is_named_as_such(reporter_client, indicator):
    from indicators.text import thai_date

    set_window(indicator, 1, open_now=False)
    until = timezone.localdate() + datetime.timedelta(days=2)
    QuarterResultFactory(indicator=indicator, quarter=1, value=None, status="draft", reopened_until=until)
    page = page_text(reporter_client.get(report_url(indicator)))
    assert f"ผู้ดูแลระบบเปิดให้แก้ไขเป็นกรณีพิเศษถึง {thai_date(until)}" in page
    assert "ผู้ตรวจประเมินส่งกลับ" not in page
