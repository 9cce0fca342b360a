"""Reads that need their related rows loaded up front, so a page runs the
same few queries whatever the amount of data."""

from django.db.models import Prefetch, QuerySet

from reports.models import Evidence, Narrative

from ..models import Indicator, StrategyNode


def with_sheet_relations(queryset: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
    """Indicators with everything their sheets show loaded up front: a fixed
    number of queries for one indicator or a book of hundreds."""
    if queryset is None:
        queryset = Indicator.objects.all()
    return queryset.select_related("fiscal_year", "owner").prefetch_related(
        "quarter_results",
        Prefetch("narratives", queryset=Narrative.objects.select_related("district_group")),
        Prefetch(
            "evidence",
            queryset=Evidence.objects.filter(removed_at__isnull=True).order_by("quarter", "uploaded_at", "id"),
            to_attr="active_evidence",
        ),
        Prefetch(
            "strategy_nodes",
            queryset=StrategyNode.objects.select_related("parent__parent__parent").order_by("code"),
        ),
    )
