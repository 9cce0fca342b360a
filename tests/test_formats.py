"""One rule for every number shown to a person (issue 29, points 1 and 5):
indicators/formats.py and its template filters, as a unit. The pages that
use them are tested in test_number_formats.py."""

from decimal import Decimal as D

import pytest
from django.template import Context, Template

from indicators import formats

NBSP = "\u00a0"


def test_a_result_has_the_indicators_places():
    assert formats.quantity(D("70"), 0) == "70"
    assert formats.quantity(D("1234.5"), 2) == "1,234.50"
    assert formats.quantity(None, 2) == ""


@pytest.mark.parametrize(("value", "places", "shown"), [
    (D("0.5000"), 0, "0.5"),       # a milestone of half a kilometre is not 1
    (D("1.0000"), 0, "1"),
    (D("1.5000"), 0, "1.5"),
    (D("1.2"), 0, "1.2"),          # a criterion
    (D("6"), 0, "6"),
    (D("80"), 2, "80.00"),         # the indicator's places when more
    (D("12.345"), 2, "12.345"),    # its own when more
    (D("0.12345"), 0, "0.1235"),   # never more than the database keeps
    (D("1234.5"), 0, "1,234.5"),
])
def test_a_target_keeps_the_decimals_it_was_entered_with(value, places, shown):
    assert formats.target(value, places) == shown


def test_scores_percentages_and_weights_have_two_decimals():
    assert formats.score(D("100")) == "100.00"
    assert formats.score(D("64.6")) == "64.60"
    assert formats.percent(D("64.6")) == "64.60"
    assert formats.weight(D("33.33")) == "33.33"
    assert formats.weight(D("0")) == "0.00"


def test_levels_and_weighted_totals_have_four():
    assert formats.level(D("5")) == "5.0000"
    assert formats.level(D("83.125")) == "83.1250"


def test_a_unit_in_thai_order_on_one_line():
    assert formats.with_unit("2", "กิโลเมตร") == f"2{NBSP}กิโลเมตร"
    assert formats.with_unit("60.51", "ร้อยละ") == f"ร้อยละ{NBSP}60.51"
    assert formats.with_unit("60.51", "%") == "60.51%"
    assert formats.with_unit("", "ตัน") == ""
    assert formats.with_unit("12", "") == "12"


def render(source, **context):
    return Template("{% load kpi %}" + source).render(Context(context))


def test_the_filters_are_the_rule():
    assert render("{{ v|target:0 }}", v=D("0.5")) == "0.5"
    assert render("{{ v|quantity:0|with_unit:u }}", v=D("2"), u="กิโลเมตร") == f"2{NBSP}กิโลเมตร"
    assert render("{{ v|target:2|with_unit:u }}", v=D("100"), u="ร้อยละ") == f"ร้อยละ{NBSP}100.00"
    assert render("{{ s|score }} / {{ p|percent }}", s=D("64.6"), p=D("64.6")) == "64.60 / 64.60"
    assert render("{{ s|score }}", s=None) == "รอการประเมิน"
    assert render("{{ w|weight }}", w=D("0")) == "0.00"
    assert render("{{ t|level }}", t=D("5")) == "5.0000"


def test_targets_shown_together_share_their_decimals():
    assert formats.shared_places([D("0.5"), D("1.0000"), D("1.5"), D("2")], 0) == 1
    assert formats.shared_places([D("12"), None], 2) == 2
    assert formats.shared_places([], 1) == 1
    assert formats.shared_places([D("0.125"), D("1")], 0) == 3
