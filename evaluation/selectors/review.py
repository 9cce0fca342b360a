"""Reads for the evaluator's pages, with their related rows loaded up front so
each page runs the same few queries whatever the number of quarters."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from indicators.models import Indicator, QuarterResult
from reports import checklist
from reports.models import Evidence, Narrative

from .. import services

OLDEST_FIRST, NEWEST_FIRST = "oldest", "newest"
# The queue's orders by the time each quarter was submitted; a quarter with
# no recorded time (none is written so today) comes after those with one.
ORDERS = {
    OLDEST_FIRST: (F("submitted_at").asc(nulls_last=True), "id"),
    NEWEST_FIRST: (F("submitted_at").desc(nulls_last=True), "-id"),
}


def waiting_quarters(order: str = OLDEST_FIRST) -> QuerySet[QuarterResult]:
    """Submitted quarters waiting for review, the one waiting longest first
    (or, NEWEST_FIRST, the latest submission first)."""
    return (
        QuarterResult.objects.filter(status=QuarterResult.Status.SUBMITTED)
        .select_related(
            "indicator__fiscal_year", "indicator__owner__district_group", "submitted_by"
        )
        .order_by(*ORDERS[order])
    )


def submitted_within(queryset: QuerySet[QuarterResult], days: int, today: datetime.date) -> QuerySet[QuarterResult]:
    """Those submitted today (days=1) or in the last `days` days, counted in
    local calendar days."""
    since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=days - 1), datetime.time()))
    return queryset.filter(submitted_at__gte=since)


EARLIER = (1, 2, 3)  # the quarters before quarter 4, the latest one that has earlier ones


def with_earlier_values(queryset: QuerySet[QuarterResult]) -> QuerySet[QuarterResult]:
    """Each quarter with the results of its indicator's quarters 1-3 on its
    own row (value_q1..value_q3), read in the same query, for score 2.1 of
    sum and average indicators (with_queue_figures)."""
    return queryset.annotate(**{
        f"value_q{q}": Subquery(QuarterResult.objects.filter(indicator_id=OuterRef("indicator_id"), quarter=q)
                                .values("value")[:1])
        for q in EARLIER
    })


@dataclass(slots=True)
class QueueRow:
    """A quarter in the queue with what the queue shows beside it."""

    result: QuarterResult
    suggested_score: Decimal | None  # score 2.1 as the review page computes it
    days_waiting: int | None  # since it was submitted; None without a recorded time


def with_queue_figures(results: Iterable[QuarterResult], today: datetime.date) -> list[QueueRow]:
    """The queue's rows (from with_earlier_values) with score 2.1 as the
    review page computes it (services.computed_score) and the days each
    has waited since it was submitted. No query."""
    rows = []
    for result in results:
        earlier = {q: getattr(result, f"value_q{q}") for q in EARLIER if q < result.quarter}
        rows.append(QueueRow(
            result=result,
            suggested_score=services.computed_score(result, services.values_up_to(result, earlier)),
            days_waiting=(today - timezone.localdate(result.submitted_at)).days if result.submitted_at else None,
        ))
    return rows


def counts_by_quarter(queryset: QuerySet[QuarterResult]) -> dict[int, int]:
    """{quarter: count} for a queryset of quarters, in one query."""
    rows = queryset.order_by().values("quarter").annotate(n=Count("id"))
    return {row["quarter"]: row["n"] for row in rows}


def result_for_review(indicator: Indicator, quarter: int) -> QuarterResult:
    """The indicator's quarter with what the review page shows of it. 404 if
    the quarter's row does not exist."""
    return get_object_or_404(
        QuarterResult.objects.select_related("indicator__fiscal_year", "indicator__owner", "submitted_by",
                                             "reviewed_by"),
        indicator=indicator,
        quarter=quarter,
    )


def quarters_of(result: QuarterResult) -> dict[int, QuarterResult]:
    """{quarter: QuarterResult} of the result's indicator, in one query, with
    `result` itself (as the page has it) for its own quarter."""
    quarters = {row.quarter: row for row in QuarterResult.objects.filter(indicator_id=result.indicator_id)}
    quarters[result.quarter] = result
    return quarters


def narratives_of(result: QuarterResult) -> list[Narrative]:
    """The quarter's report: the whole-indicator part first, then the
    district-group parts in group order."""
    return list(
        Narrative.objects.filter(indicator_id=result.indicator_id, quarter=result.quarter)
        .select_related("district_group")
        .order_by(F("district_group__order").asc(nulls_first=True), "district_group__name")
    )


def evidence_of(result: QuarterResult) -> list[Evidence]:
    """The quarter's current evidence, oldest first."""
    return list(
        Evidence.objects.filter(
            indicator_id=result.indicator_id, quarter=result.quarter, removed_at__isnull=True
        ).select_related("uploaded_by")
    )


@dataclass(slots=True)
class EvidenceReview:
    """What the review page shows of the quarter's evidence: the files, the
    checklist (each item with its files, its waiver or nothing yet), and
    the flags of the result apart from the missing-evidence one."""

    files: list[Evidence]
    checklist: checklist.Checklist
    plausibility_flags: list[dict]
    missing_flag: dict | None


def evidence_review(result: QuarterResult) -> EvidenceReview:
    """Three queries: the evidence, the indicator's items, the waivers."""
    files = evidence_of(result)
    flags = list(result.plausibility_flags or [])
    missing = next((flag for flag in flags if flag.get("code") == checklist.MISSING_EVIDENCE), None)
    return EvidenceReview(
        files=files,
        checklist=checklist.checklist_for(result.indicator_id, result.quarter, files),
        plausibility_flags=[flag for flag in flags if flag.get("code") != checklist.MISSING_EVIDENCE],
        missing_flag=missing,
    )
