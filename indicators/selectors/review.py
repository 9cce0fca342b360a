"""Reads for the evaluator's pages, with their related rows loaded up front so
each page runs the same few queries whatever the number of quarters."""

from django.db.models import Count, F, QuerySet
from django.shortcuts import get_object_or_404

from reports.models import Evidence, Narrative

from ..models import Indicator, QuarterResult


def waiting_quarters() -> QuerySet[QuarterResult]:
    """Submitted quarters waiting for review, oldest submission first
    (a quarter submitted with no recorded time, as in the demo data, first)."""
    return (
        QuarterResult.objects.filter(status=QuarterResult.Status.SUBMITTED)
        .select_related(
            "indicator__fiscal_year", "indicator__owner__district_group", "submitted_by"
        )
        .order_by(F("submitted_at").asc(nulls_first=True), "id")
    )


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
