"""Reads for the public site, the open data and the anonymous API: the
staff reads (indicators/selectors/browse.py, reports/sheet.py) on
Indicator.objects.public(), with the rows masked by indicators/public.py. Each runs a fixed number of queries
whatever the number of indicators."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum

from indicators import public, status_counts
from indicators.models import FINAL_QUARTER, FiscalYear, Indicator, StrategyNode
from indicators.selectors.browse import LONG_TEXTS, STATUS_LABELS, QuarterFigures, results_by_indicator
from reports.models import Narrative


def published_years() -> list[FiscalYear]:
    """The published fiscal years, latest first."""
    return list(FiscalYear.objects.filter(published=True).order_by("-year"))


def published_years_at_their_quarter(today: datetime.date) -> list[FiscalYear]:
    """published_years, each with the quarter being reported
    (`reporting_quarter`, models.reporting_quarter) and its indicators by
    public status then (`public_met`, ...: status_counts.with_public_totals),
    in the same query."""
    years = FiscalYear.objects.filter(published=True).with_reporting_quarter(today)
    return list(status_counts.with_public_totals(years).order_by("-year"))


def public_indicators() -> QuerySet[Indicator]:
    """Every indicator the public may see, with what a row shows loaded
    alongside (browse.visible's equivalent)."""
    return (
        Indicator.objects.public().select_related("fiscal_year", "owner", "owner__district_group")
        .defer(*LONG_TEXTS)
    )


def with_public_sheet_relations(queryset: QuerySet[Indicator] | None = None) -> QuerySet[Indicator]:
    """reports/sheet.with_sheet_relations without what the public never sees
    (evidence files); narratives of every quarter are loaded and
    public/sheet.build_public_sheet keeps those of the published ones."""
    if queryset is None:
        queryset = Indicator.objects.public()
    return queryset.select_related("fiscal_year", "owner").prefetch_related(
        "quarter_results",
        Prefetch("narratives", queryset=Narrative.objects.select_related("district_group")
                 .order_by("quarter", "district_group__order", "district_group__name")),
        Prefetch(
            "strategy_nodes",
            queryset=StrategyNode.objects.select_related("parent__parent__parent").order_by("code"),
        ),
    )


@dataclass(slots=True)
class PublicRow:
    """An indicator as the public list, open data and API list show it."""

    indicator: Indicator
    results: dict[int, QuarterFigures]
    achieved: Decimal | None
    achieved_quarter: int | None
    status: str
    status_quarter: int

    @property
    def status_label(self) -> object:
        return STATUS_LABELS[self.status]


def public_row(indicator: Indicator, results: Mapping[int, Any], quarter: int = FINAL_QUARTER) -> PublicRow:
    masked = public.public_results(indicator.aggregation, results)
    achieved, as_of = public.achieved_to_date(indicator.aggregation, masked)
    return PublicRow(indicator, masked, achieved, as_of, public.status_at(indicator, masked, quarter), quarter)


def public_rows(indicators: QuerySet[Indicator] | Iterable[Indicator], quarter: int = FINAL_QUARTER) -> list[PublicRow]:
    """Rows for a page (a list or sliced queryset) or a whole queryset (the
    open data): two queries either way, as browse.list_rows."""
    whole_queryset = isinstance(indicators, QuerySet) and not indicators.query.is_sliced
    loaded = list(indicators)
    results: dict[int, dict[int, QuarterFigures]] = results_by_indicator(indicators if whole_queryset else loaded)
    return [public_row(indicator, results.get(indicator.pk, {}), quarter) for indicator in loaded]


def data_version(queryset: QuerySet[Indicator]) -> str:
    """A version of what these indicators show, in one aggregate query:
    their number, highest id and the sum of their sheet versions. Every
    change to an indicator, its results, narratives, agency, strategy links,
    its publish switch or its year's bumps a sheet version
    (reports/sheet_cache.py), as the ranking's cache relies on too."""
    found = queryset.order_by().aggregate(
        n=Count("id"), last=Max("id"), versions=Sum("sheet_version"),
        # The publish switches, even when set by a bulk UPDATE that bumps no version.
        shown=Count("id", filter=Q(public_hidden=False, fiscal_year__published=True)),
    )
    return f"{found['n']}.{found['last'] or 0}.{found['versions'] or 0}.{found['shown']}"
