"""Reads for the scorecard and ranking pages: one year's indicators, each
with its four quarters joined on its row, in one query whatever their number
(the agencies and the year are one query each, made by the view)."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, F, FilteredRelation, Max, Q, QuerySet, Sum
from django.utils import timezone

from indicators import scoring
from indicators.criteria import FIELD_NAMES as CRITERIA_FIELDS
from indicators.models import QUARTERS, Agency, FiscalYear, Indicator
from projects import figures as project_figures
from projects.models import Project

from .. import scorecards

# Entries for versions no longer asked for expire on their own.
RANKING_TIMEOUT_SECONDS = 24 * 60 * 60


@dataclass(slots=True)
class ScoredIndicator:
    """What a scorecard shows and scores of an indicator."""

    id: int
    code: str
    name: str
    owner_id: int
    weight: Decimal
    unit: str
    decimal_places: int
    annual_target: Decimal
    aggregation: str
    direction: str
    criteria: list[Decimal | None]


FIELDS = ("id", "code", "name", "owner_id", "weight", "unit", "decimal_places", "annual_target", "aggregation",
          "direction")
# Per quarter: its result, milestone and status (a returned result is not
# counted); quarter 4 also its scores 2.1 / 2.2.
PER_QUARTER = ("value", "target", "status")
QUARTER_FIELDS = [f"_q{q}__{name}" for q in QUARTERS for name in PER_QUARTER] + [
    "_q4__score_self", "_q4__score_confirmed"]


def year_scores(fiscal_year: FiscalYear, owner_ids: list[int] | None = None) -> list[scoring.IndicatorScore]:
    """The scores of the year's indicators (of these owners; None: of all),
    by code. One query: a LEFT JOIN per quarter (each indicator has at most
    one row per quarter), filtered by the year's number as the list is."""
    queryset = Indicator.objects.filter(fiscal_year__year=fiscal_year.year)
    if owner_ids is not None:
        queryset = queryset.filter(owner_id__in=owner_ids)
    rows = (
        queryset.annotate(**{
            f"_q{q}": FilteredRelation("quarter_results", condition=Q(quarter_results__quarter=q)) for q in QUARTERS
        })
        .annotate(**{name.replace("__", "_"): F(name) for name in QUARTER_FIELDS})
        .order_by("code")
        .values_list(*FIELDS, *CRITERIA_FIELDS, *[name.replace("__", "_") for name in QUARTER_FIELDS])
    )
    scheme, below = fiscal_year.scoring_scheme, fiscal_year.below_level_one_score
    fields, criteria = len(FIELDS), len(CRITERIA_FIELDS)
    step, end = len(PER_QUARTER), len(PER_QUARTER) * len(QUARTERS)
    scores = []
    for row in rows:
        quarters: tuple[Any, ...] = row[fields + criteria:]
        indicator = ScoredIndicator(**dict(zip(FIELDS, row[:fields], strict=True)), criteria=list(row[fields:fields + criteria]))
        scores.append(scoring.score_indicator(
            indicator, values=quarters[0:end:step], milestones=quarters[1:end:step], final_self=quarters[end],
            final_confirmed=quarters[end + 1], scheme=scheme, below_level_one=below,
            statuses=quarters[2:end:step],
        ))
    return scores


def agency_scorecard(fiscal_year: FiscalYear, agency: Agency) -> scorecards.Scorecard:
    scores = year_scores(fiscal_year, [agency.id])
    card = scorecards.build_scorecard(agency, scores, fiscal_year.scoring_scheme)
    card.projects = agency_projects(fiscal_year, agency)
    return card


def agency_projects(fiscal_year: FiscalYear, agency: Agency) -> project_figures.ProjectFigures:
    """The agency's project figures for the year (three queries): the
    latest update it reported, judged today (or on the year's last day)."""
    day = project_figures.figures_day(fiscal_year.ends_on, None, timezone.localdate())
    found = project_figures.agency_figures(Project.objects.filter(fiscal_year=fiscal_year, owner=agency), day)
    return found.get(agency.pk, project_figures.ProjectFigures(agency.pk))


def ranking_agencies(group_code: str | None = None) -> QuerySet[Agency]:
    """Every agency, or the district offices of one district group."""
    agencies = Agency.objects.select_related("district_group").order_by("code")
    if group_code:
        agencies = agencies.filter(kind=Agency.Kind.DISTRICT_OFFICE, district_group__code=group_code)
    return agencies


def year_summaries(fiscal_year: FiscalYear) -> dict[int, scorecards.Summary]:
    """{agency id: Summary} of every agency with indicators in the year, for
    the ranking. Kept in the cache under the year's scoring settings and a
    version of its indicators: their number, highest id and the sum of their
    sheet versions, which every change to an indicator or its results bumps
    (reports/sheet_cache.py), as for the indicator page. A hit costs one small
    aggregate query instead of scoring the whole year."""
    version = Indicator.objects.filter(fiscal_year__year=fiscal_year.year).aggregate(
        n=Count("id"), last=Max("id"), versions=Sum("sheet_version"))
    # "v2": a Summary with final_count, and returned quarters left out.
    key = (f"ranking:v2:{fiscal_year.year}:{fiscal_year.scoring_scheme}:{fiscal_year.below_level_one_score}:"
           f"{version['n']}:{version['last']}:{version['versions']}")
    found = cache.get(key)
    if found is None:
        found = scorecards.summaries(year_scores(fiscal_year), fiscal_year.scoring_scheme)
        cache.set(key, found, RANKING_TIMEOUT_SECONDS)
    return found
