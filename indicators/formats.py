"""How every number is shown to a person: one rule per kind of number, for
pages, PDFs, chart labels, messages and exports alike. Pure functions; the
template filters in templatetags/kpi.py wrap them.

- a result (and an achieved value, a value to date) has the indicator's
  decimal places, as the reporter may type it;
- a target (annual, a quarter's milestone, a criterion) has as many
  decimals as it was entered with, or the indicator's, whichever is more:
  0.5 km stays 0.5 where results are whole kilometres; targets shown
  together (the four milestones, the five criteria) share the most of them,
  so a column reads 0.5, 1.0, 1.5, 2.0 and its figures line up;
- an achievement %, a score (2.1, 2.2, the year's score) and a weight have
  two decimals: 64.60, 100.00;
- a five-level score and a weighted total have four: 4.2500;
- a unit follows the number ("2 กิโลเมตร"), except ร้อยละ, which Thai
  reads first ("ร้อยละ 60.51"), and "%", written against it ("60.51%"); a
  no-break space keeps number and unit on one line.

None gives "" here; a template filter says what a missing number means
(รอการประเมิน, ยังไม่รายงาน) where it is shown. Exports write numbers as
numbers, with the same decimals (places_of_target, SCORE_PLACES)."""

from collections.abc import Iterable
from decimal import Decimal

from .numbers import decimal_places_of
from .text import format_number

SCORE_PLACES = 2
LEVEL_PLACES = 4
# The database keeps targets and criteria to four decimals.
MAX_PLACES = 4
NO_BREAK_SPACE = "\u00a0"
UNITS_BEFORE = frozenset({"ร้อยละ"})
UNITS_AGAINST = frozenset({"%"})

Number = Decimal | int | float | str | None


def places_of_target(value: Number, places: int = 0) -> int:
    """The decimals a target is shown with: its own (trailing zeros not
    counted: 1.5000 has 1), or the indicator's `places` if more."""
    if value is None:
        return int(places)
    return min(MAX_PLACES, max(int(places), decimal_places_of(Decimal(str(value)))))


def shared_places(values: Iterable[Number], places: int = 0) -> int:
    """The decimals of targets shown together: the most any of them needs."""
    return max([places_of_target(value, places) for value in values if value is not None], default=int(places))


def quantity(value: Number, places: int = 0) -> str:
    """A result or an achieved value, with the indicator's decimal places."""
    return format_number(value, places)


def target(value: Number, places: int = 0) -> str:
    """A target, milestone or criterion: 0.5 at 0 places is "0.5", not "1"."""
    return format_number(value, places_of_target(value, places))


def percent(value: Number) -> str:
    """An achievement percentage: 64.60."""
    return format_number(value, SCORE_PLACES)


def score(value: Number) -> str:
    """A 0-100 score (2.1, 2.2, the year's): two decimals, as stored, 100.00."""
    return format_number(value, SCORE_PLACES)


def weight(value: Number) -> str:
    """An indicator's weight in its agency's scorecard: 33.33, 0.00."""
    return format_number(value, SCORE_PLACES)


def level(value: Number) -> str:
    """A five-level score (1-5) or a weighted total: 4.2500."""
    return format_number(value, LEVEL_PLACES)


def with_unit(number: str, unit: str | None) -> str:
    """A formatted number with its unit in Thai order."""
    unit = (unit or "").strip()
    if not number or not unit:
        return number
    if unit in UNITS_AGAINST:
        return f"{number}{unit}"
    if unit in UNITS_BEFORE:
        return f"{unit}{NO_BREAK_SPACE}{number}"
    return f"{number}{NO_BREAK_SPACE}{unit}"
