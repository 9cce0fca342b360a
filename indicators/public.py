"""What the public sees of an indicator's results: the public site, the open
data and the anonymous API all read an indicator's quarters through here.

The rule (README, "Public site"): a quarter's figures are public only once the
evaluator has accepted it (QuarterResult.Status.ACCEPTED: "accept" for
quarters 1-3, "score" for quarter 4; "reopen" turns it back to RETURNED and
clears its scores). A quarter not accepted is shown as "รอการประเมิน", never
with the figure its agency typed, on every public surface.

One more case keeps a figure that was not reviewed out of an accepted one: a
summed or averaged indicator judges quarter n by its value to date, which
adds up quarters 1..n. If an earlier quarter holds a result that is not
accepted (say it was reopened after quarter n was accepted), quarter n's
figures would include it, so quarter n waits too. Cumulative and latest
indicators judge a quarter by its own value and never wait for another.

Everything else is rules.py's, applied to the quarters published: the masked
rows (public/sheet.py) go through the same quarter_rows.quarter_rows and
selectors.browse.status_as_of as the staff pages use. status_at's answer is
stored on each indicator (Indicator.public_status_q1..q4, by
stored_status.refresh) for the public list's status filter and the public
dashboard's counts (status_counts.public_by_status)."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import rules
from .models import FINAL_QUARTER, QUARTERS, QuarterResult
from .selectors.browse import NOT_REPORTED, QuarterFigures, status_as_of

ACCEPTED = QuarterResult.Status.ACCEPTED
# The only two states the public sees of a quarter: accepted (and
# published), or waiting for the evaluator.
PUBLISHED = ACCEPTED.value
PENDING = "pending"
# Aggregations whose value to date reads the earlier quarters' values.
READS_EARLIER_QUARTERS = (rules.SUM, rules.AVERAGE)


STATUS_LABELS = {PUBLISHED: _("ตรวจรับแล้ว"), PENDING: _("รอการประเมิน")}
# The statuses the public list filters by and shows (never "not reported").
STATUSES = (rules.MET, rules.NOT_MET, rules.PENDING)


def published_quarters(aggregation: str, results: Mapping[int, Any]) -> frozenset[int]:
    """The quarters (1-4) whose figures the public may see: accepted, and
    (for sum and average indicators) after no earlier quarter holding a
    result that is not accepted. `results`: {quarter: QuarterResult or
    QuarterFigures}."""
    published = set()
    blocked = False
    for number in QUARTERS:
        result = results.get(number)
        accepted = result is not None and result.status == ACCEPTED
        if accepted and not blocked:
            published.add(number)
        if (aggregation in READS_EARLIER_QUARTERS and not accepted and result is not None
                and result.value is not None):
            blocked = True
    return frozenset(published)


def public_results(aggregation: str, results: Mapping[int, Any]) -> dict[int, QuarterFigures]:
    """{quarter: QuarterFigures} as the public sees them, for all four quarters: the published ones as
    they are, the others without result or scores (a quarter without a row
    looks like any other pending one)."""
    published = published_quarters(aggregation, results)
    masked = {}
    for number in QUARTERS:
        result = results.get(number)
        shown = result if number in published else None
        masked[number] = QuarterFigures(
            quarter=number,
            target=getattr(result, "target", None),
            value=getattr(shown, "value", None),
            score_self=getattr(shown, "score_self", None),
            score_confirmed=getattr(shown, "score_confirmed", None),
            status=PUBLISHED if shown is not None else PENDING,
        )
    return masked


def public_status(status: str) -> str:
    """A status computed from masked results, as the public sees it: a
    quarter with nothing published is pending, not "not reported" (the
    public is not told whether an agency has typed something yet)."""
    return rules.PENDING if status == NOT_REPORTED else status


def latest_published(results: Mapping[int, QuarterFigures]) -> int | None:
    """The last quarter whose figures are published, or None."""
    numbers = [number for number, result in results.items() if result.accepted]
    return max(numbers) if numbers else None


def achieved_to_date(aggregation: str, results: Mapping[int, QuarterFigures]) -> tuple[Decimal | None, int | None]:
    """(the value achieved as of the latest published quarter, that quarter):
    what the public page shows as "ผลงานที่ทำได้". Equal to the staff figure
    once every quarter with a result is published."""
    quarter = latest_published(results)
    if quarter is None:
        return None, None
    values = [getattr(results.get(number), "value", None) for number in QUARTERS]
    return rules.value_to_date(values, quarter, aggregation), quarter


def status_at(indicator: Any, results: Mapping[int, QuarterFigures], quarter: int = FINAL_QUARTER) -> str:
    """rules.MET, rules.NOT_MET or rules.PENDING at a quarter (4: the year),
    by selectors.browse.status_as_of on the masked results."""
    return public_status(status_as_of(indicator, results, quarter))
