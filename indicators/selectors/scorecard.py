"""Reads for the scorecard and ranking pages: one year's indicators as plain
rows and their quarter results, in two queries whatever their number (the
agencies and the year are one query each, made by the view)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from .. import scorecards
from ..criteria import FIELD_NAMES as CRITERIA_FIELDS
from ..models import Agency, FiscalYear, Indicator, QuarterResult
from .browse import RESULT_FIELDS, Result


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


def _owned_by(queryset: QuerySet, owner_ids: list[int] | None, prefix: str = "") -> QuerySet:
    return queryset if owner_ids is None else queryset.filter(**{f"{prefix}owner_id__in": owner_ids})


def year_indicators(year: int, owner_ids: list[int] | None = None) -> list[ScoredIndicator]:
    """The year's indicators (of these owners; None: of all), by code.
    Filtered by the year's number, as the list is (browse.py)."""
    rows = (
        _owned_by(Indicator.objects.filter(fiscal_year__year=year), owner_ids).order_by("code")
        .values_list(*FIELDS, *CRITERIA_FIELDS)
    )
    count = len(FIELDS)
    return [ScoredIndicator(**dict(zip(FIELDS, row[:count])), criteria=list(row[count:])) for row in rows]


def year_results(year: int, owner_ids: list[int] | None = None) -> dict[int, dict[int, Result]]:
    """{indicator id: {quarter: Result}} of the same indicators."""
    rows = (
        _owned_by(QuarterResult.objects.filter(indicator__fiscal_year__year=year), owner_ids, "indicator__")
        .order_by().values_list("indicator_id", *RESULT_FIELDS)
    )
    mapping: dict[int, dict[int, Result]] = {}
    for indicator_id, *values in rows:
        result = Result(*values)
        mapping.setdefault(indicator_id, {})[result.quarter] = result
    return mapping


def agency_scorecard(fiscal_year: FiscalYear, agency: Agency) -> scorecards.Scorecard:
    owners = [agency.id]
    indicators = year_indicators(fiscal_year.year, owners)
    card = scorecards.scorecards([agency], indicators, year_results(fiscal_year.year, owners),
                                 fiscal_year.scoring_scheme, fiscal_year.below_level_one_score)
    return card[0] if card else scorecards.build_scorecard(agency, [], fiscal_year.scoring_scheme)


def ranking_agencies(group_code: str | None = None) -> QuerySet[Agency]:
    """Every agency, or the district offices of one district group."""
    agencies = Agency.objects.select_related("district_group").order_by("code")
    if group_code:
        agencies = agencies.filter(kind=Agency.Kind.DISTRICT_OFFICE, district_group__code=group_code)
    return agencies


def year_scorecards(fiscal_year: FiscalYear, agencies: list[Agency], *,
                    every_agency: bool = False) -> list[scorecards.Scorecard]:
    """A card for each of these agencies that has indicators in the year
    (`every_agency`: they are all agencies, so no filter on the owner)."""
    owners = None if every_agency else [agency.id for agency in agencies]
    return scorecards.scorecards(
        agencies, year_indicators(fiscal_year.year, owners), year_results(fiscal_year.year, owners),
        fiscal_year.scoring_scheme, fiscal_year.below_level_one_score,
    )
