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
rows below go through the same sheet.quarter_rows and
selectors.browse.status_as_of as the staff pages use. status_at's answer is
stored on each indicator (Indicator.public_status_q1..q4, by
stored_status.refresh) for the public list's status filter and the public
dashboard's counts (status_counts.public_by_status)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from . import rules, scoring, sheet
from .models import FINAL_QUARTER, QUARTERS, Indicator, QuarterResult

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


@dataclass(frozen=True, slots=True)
class PublicResult:
    """A quarter as the public sees it: the milestone target always (it is
    part of the plan), the result and scores only when published."""

    quarter: int
    target: Decimal | None
    value: Decimal | None
    score_self: Decimal | None
    score_confirmed: Decimal | None
    # PUBLISHED or PENDING; the name `status` lets rules and rows read it
    # like a QuarterResult's.
    status: str

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED


def published_quarters(aggregation: str, results: Mapping[int, Any]) -> frozenset[int]:
    """The quarters (1-4) whose figures the public may see: accepted, and
    (for sum and average indicators) after no earlier quarter holding a
    result that is not accepted. `results`: {quarter: QuarterResult or
    selectors.browse.Result}."""
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


def public_results(aggregation: str, results: Mapping[int, Any]) -> dict[int, PublicResult]:
    """{quarter: PublicResult} for all four quarters: the published ones as
    they are, the others without result or scores (a quarter without a row
    looks like any other pending one)."""
    published = published_quarters(aggregation, results)
    masked = {}
    for number in QUARTERS:
        result = results.get(number)
        shown = result if number in published else None
        masked[number] = PublicResult(
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
    from .selectors.browse import NOT_REPORTED

    return rules.PENDING if status == NOT_REPORTED else status


def latest_published(results: Mapping[int, PublicResult]) -> int | None:
    """The last quarter whose figures are published, or None."""
    numbers = [number for number, result in results.items() if result.published]
    return max(numbers) if numbers else None


def achieved_to_date(aggregation: str, results: Mapping[int, PublicResult]) -> tuple[Decimal | None, int | None]:
    """(the value achieved as of the latest published quarter, that quarter):
    what the public page shows as "ผลงานที่ทำได้". Equal to the staff figure
    once every quarter with a result is published."""
    quarter = latest_published(results)
    if quarter is None:
        return None, None
    values = [getattr(results.get(number), "value", None) for number in QUARTERS]
    return rules.value_to_date(values, quarter, aggregation), quarter


def status_at(indicator: Any, results: Mapping[int, PublicResult], quarter: int = FINAL_QUARTER) -> str:
    """rules.MET, rules.NOT_MET or rules.PENDING at a quarter (4: the year),
    by selectors.browse.status_as_of on the masked results."""
    from .selectors.browse import status_as_of

    return public_status(status_as_of(indicator, results, quarter))


# --- the public indicator page ---------------------------------------------

@dataclass
class PublicSheet(sheet.Sheet):
    """sheet.Sheet as the public sees it: rows, chart, narratives and status
    from published quarters only; the value achieved as of `achieved_quarter`."""

    achieved_quarter: int | None = None
    # The indicator's summary of the year's work, shown once quarter 4 is
    # published: until then it may speak of results not yet accepted.
    operations_summary: str = ""
    published: frozenset[int] = field(default_factory=frozenset)


def build_public_sheet(indicator: Indicator) -> PublicSheet:
    """From an indicator loaded by selectors.public.with_public_sheet_relations
    (its quarters, narratives and strategy nodes prefetched): no queries."""
    rows_by_quarter = {r.quarter: r for r in indicator.quarter_results.all()}
    masked = public_results(indicator.aggregation, rows_by_quarter)
    published = frozenset(number for number, result in masked.items() if result.published)
    narratives = {n: sheet.QuarterNarrative(number=n) for n in QUARTERS}
    for narrative in indicator.narratives.all():
        if narrative.quarter not in published:
            continue
        entry = narratives[narrative.quarter]
        if narrative.district_group_id is None:
            entry.general = narrative.text
        elif narrative.text and narrative.district_group is not None:
            entry.parts.append(sheet.NarrativePart(group_name=narrative.district_group.name, text=narrative.text))
    achieved, as_of = achieved_to_date(indicator.aggregation, masked)
    fiscal_year = indicator.fiscal_year
    return PublicSheet(
        indicator=indicator,
        quarters=sheet.quarter_rows(indicator, masked, STATUS_LABELS),
        narratives=[narratives[n] for n in QUARTERS],
        strategy_chains=[node.chain() for node in indicator.strategy_nodes.all()],
        achieved=achieved,
        final_score=masked[FINAL_QUARTER].score_confirmed,
        status=status_at(indicator, masked),
        scored=scoring.score_from_results(indicator, masked, fiscal_year.scoring_scheme,
                                             fiscal_year.below_level_one_score),
        achieved_quarter=as_of,
        operations_summary=indicator.operations_summary if FINAL_QUARTER in published else "",
        published=published,
    )
