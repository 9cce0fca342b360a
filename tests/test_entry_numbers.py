"""Reading numbers as reporters type them (indicators/numbers.py)."""

from decimal import Decimal

import pytest

from indicators.numbers import NotANumber, decimal_places_of, parse_decimal


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("12", "12"),
        ("๑๒", "12"),
        ("๑,๒๓๔.๕๖", "1234.56"),
        ("1,234,567.5", "1234567.5"),
        ("  -7 ", "-7"),
        ("\u22123", "-3"),
        ("+4", "4"),
        (".5", "0.5"),
        ("1 234", "1234"),
        ("1\u00a0234\u202f567", "1234567"),
        ("- 5", "-5"),
        ("12.50", "12.50"),
    ],
)
def test_understood(typed, expected):
    assert parse_decimal(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_empty_is_none(typed):
    assert parse_decimal(typed) is None


@pytest.mark.parametrize("typed", ["abc", "1,2", "12,34", "1.2.3", "1e5", "NaN", "Infinity", "12-", "๑๒ก", "--1", ",", "1 2", "12 34"])
def test_refused(typed):
    with pytest.raises(NotANumber):
        parse_decimal(typed)


@pytest.mark.parametrize("value, places", [("12", 0), ("12.50", 1), ("12.345", 3), ("1E+2", 0), ("0.0", 0)])
def test_decimal_places_of(value, places):
    assert decimal_places_of(Decimal(value)) == places
