"""Plausibility checks on entry (issue 12): soft warnings that the reporter
confirms, kept with the quarter and shown to the evaluator."""

from decimal import Decimal as D

import pytest

from indicators import plausibility, rules
from indicators.models import QuarterResult

from .entry_support import open_indicator, post_report, set_window
from .factories import QuarterResultFactory
from .helpers import page_text


def codes(**kwargs):
    kwargs.setdefault("unit", "เล่ม")
    kwargs.setdefault("aggregation", rules.CUMULATIVE)
    return [flag.code for flag in plausibility.check(multiple=D(3), **kwargs)]


class TestCheck:
    def test_the_old_sites_typos(self):
        # A 100 % target with results of 170.83 and 1,407.52.
        assert codes(value=D("170.83"), target=D(100), unit="ร้อยละ") == [plausibility.PERCENT_RANGE]
        assert codes(value=D("1407.52"), target=D(100), unit="%") == [plausibility.TOO_HIGH,
                                                                      plausibility.PERCENT_RANGE]

    def test_more_than_n_times_the_target(self):
        assert codes(value=D(300), target=D(100)) == []  # exactly 3×: not more than
        assert codes(value=D("300.01"), target=D(100)) == [plausibility.TOO_HIGH]
        assert codes(value=D(5), target=D(0)) == []  # no ratio to a zero target

    def test_n_is_configurable(self, settings):
        settings.PLAUSIBLE_TARGET_MULTIPLE = 10
        flags = plausibility.check(value=D(500), target=D(100), unit="เล่ม", aggregation=rules.SUM)
        assert flags == []
        settings.PLAUSIBLE_TARGET_MULTIPLE = 2
        [flag] = plausibility.check(value=D(500), target=D(100), unit="เล่ม", aggregation=rules.SUM)
        assert flag.message == "ผลงาน (500) มากกว่า 2 เท่าของค่าเป้าหมาย (100)"

    def test_cumulative_falling_below_the_previous_quarter(self):
        assert codes(value=D(15), target=D(80), previous_value=D(20), previous_target=D(80)) == [
            plausibility.DECREASE]
        # A sum's quarters are amounts of their own: a smaller one is normal.
        assert codes(value=D(15), target=D(80), previous_value=D(20), previous_target=D(80),
                     aggregation=rules.SUM) == []

    def test_percent_unit_outside_0_to_100(self):
        assert codes(value=D(-1), target=D(80), unit="ร้อยละ") == [plausibility.PERCENT_RANGE]
        assert codes(value=D(100), target=D(80), unit="ร้อยละ") == []

    def test_same_result_after_a_change_of_target(self):
        assert codes(value=D(40), target=D(60), previous_value=D(40), previous_target=D(30)) == [
            plausibility.UNCHANGED]
        assert codes(value=D(40), target=D(30), previous_value=D(40), previous_target=D(30)) == []

    def test_nothing_typed_raises_nothing(self):
        assert codes(value=None, target=D(1)) == []


# --- on the form ------------------------------------------------------------

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def indicator(db):
    return open_indicator(unit="ร้อยละ", annual_target=D(100), decimal_places=2)


def test_implausible_result_is_not_saved_until_confirmed(reporter_client, indicator):
    response = post_report(reporter_client, indicator, value="1,407.52", action="submit")
    assert response.status_code == 400
    text = page_text(response)
    assert "ผลงาน (1,407.52) มากกว่า 3 เท่าของค่าเป้าหมาย (100.00)" in text
    assert "หน่วยนับเป็นร้อยละ แต่ผลงาน (1,407.52) อยู่นอกช่วง 0 ถึง 100" in text
    assert "ยืนยันว่าถูกต้อง" in text
    assert 'value="1,407.52"' in response.content.decode()  # what was typed comes back
    assert not QuarterResult.objects.filter(indicator=indicator).exists()

    response = post_report(reporter_client, indicator, value="1,407.52", action="submit", confirm_plausible="on")
    assert response.status_code == 302
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert result.status == "submitted" and result.value == D("1407.52")
    assert result.plausibility_confirmed
    assert [f["code"] for f in result.plausibility_flags] == ["too_high", "percent_range"]
    # The confirmation is in the quarter's history.
    assert result.history.first().plausibility_confirmed


def test_a_plausible_result_needs_no_confirmation(reporter_client, indicator):
    assert post_report(reporter_client, indicator, value="85", action="submit").status_code == 302
    result = QuarterResult.objects.get(indicator=indicator)
    assert result.plausibility_flags == [] and not result.plausibility_confirmed


def test_correcting_the_typo_clears_the_flags(reporter_client, indicator):
    post_report(reporter_client, indicator, value="170.83", confirm_plausible="on")
    assert QuarterResult.objects.get(indicator=indicator).plausibility_confirmed
    assert post_report(reporter_client, indicator, value="70.83").status_code == 302
    result = QuarterResult.objects.get(indicator=indicator)
    assert result.plausibility_flags == [] and not result.plausibility_confirmed
    assert result.history.count() == 2  # both saves, each with its flags


def test_identical_result_after_target_change_uses_the_quarter_milestone(reporter_client, indicator):
    QuarterResultFactory(indicator=indicator, quarter=1, value=D(40), target=D(30), status="accepted")
    QuarterResult.objects.create(indicator=indicator, quarter=2, target=D(60))
    set_window(indicator, 2)
    response = post_report(reporter_client, indicator, 2, value="40")
    assert response.status_code == 400
    assert [f.code for f in response.context["form"].plausibility_flags] == [plausibility.UNCHANGED]
    assert "เปลี่ยนจาก 30.00 เป็น 60.00" in page_text(response)


def test_the_evaluator_sees_the_flags_and_the_confirmation(reporter_client, indicator, evaluator):
    post_report(reporter_client, indicator, value="170.83", action="submit", confirm_plausible="on")
    reporter_client.force_login(evaluator)
    response = reporter_client.get(f"/review/{indicator.fiscal_year.year}/{indicator.code}/1/")
    text = page_text(response)
    assert "หน่วยนับเป็นร้อยละ แต่ผลงาน (170.83) อยู่นอกช่วง 0 ถึง 100" in text
    assert "ผู้รายงานยืนยันว่าผลงานถูกต้อง" in text


def test_a_confirmed_draft_shows_its_ticked_box_beside_the_warning_it_confirms(reporter_client, indicator):
    """Issue 29 point 8: reopening a confirmed draft showed the ticked box alone."""
    from .entry_support import report_url

    assert post_report(reporter_client, indicator, value="170.83", confirm_plausible="on").status_code == 302
    markup = reporter_client.get(report_url(indicator)).content.decode()
    start = markup.index('id="plausibility-warnings"')
    box = markup[start:markup.index('id="id_narrative"', start)]
    assert 'name="confirm_plausible"' in box and "checked" in box
    assert "หน่วยนับเป็นร้อยละ แต่ผลงาน (170.83) อยู่นอกช่วง 0 ถึง 100" in page_text(box)
    assert page_text(box).index("อยู่นอกช่วง 0 ถึง 100") < page_text(box).index("ยืนยันว่าถูกต้อง")


def test_no_box_once_the_saved_result_is_no_longer_unusual(reporter_client, indicator):
    from .entry_support import report_url

    post_report(reporter_client, indicator, value="170.83", confirm_plausible="on")
    # The saved result no longer raises a warning (changed outside the form):
    # nothing is left to confirm, so no ticked box without a reason.
    QuarterResult.objects.filter(indicator=indicator).update(value=D("70"))
    markup = reporter_client.get(report_url(indicator)).content.decode()
    assert 'name="confirm_plausible"' not in markup and "plausibility-warnings" not in markup
