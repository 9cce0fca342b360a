"""An indicator and its quarters as plain data: the one shape that the open
data (CSV and JSON) and the JSON API share, built from rows the selectors
loaded (no queries here).

Built from the public rows (selectors.public.PublicRow: accepted quarters
only) for the public, and from the staff rows (the list's own results) for
a signed-in token, through the same sheet.quarter_rows either way."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from indicators import public, rules, sheet
from indicators.models import QUARTERS, Indicator
from indicators.selectors import browse as selectors_browse
from indicators.selectors.public import PublicRow


def number(value: Decimal | None) -> Decimal | None:
    """A stored decimal without its padding zeros (20.0000 -> 20), never in
    exponent notation; None stays None."""
    if value is None:
        return None
    normalized = value.normalize()
    return normalized.quantize(Decimal(1)) if normalized == normalized.to_integral() else normalized


def plain(value: Decimal | None) -> str:
    """A decimal as a CSV cell: digits and a point, empty when None."""
    return "" if value is None else format(number(value), "f")


@dataclass(slots=True)
class Subject:
    """What a record is built from, public or staff alike."""

    indicator: Indicator
    quarters: list[sheet.QuarterRow]
    achieved: Decimal | None
    achieved_quarter: int | None
    status: str
    status_quarter: int


def public_subject(row: PublicRow) -> Subject:
    quarters = sheet.quarter_rows(row.indicator, row.results, public.STATUS_LABELS)
    return Subject(row.indicator, quarters, row.achieved, row.achieved_quarter, row.status, row.status_quarter)


def staff_subject(indicator: Indicator, results: Mapping[int, Any], quarter: int) -> Subject:
    """As the staff list and page show it (browse.ListRow, sheet.quarter_rows)."""
    row = selectors_browse.ListRow(indicator, results, quarter)
    reported = [number for number in QUARTERS if getattr(results.get(number), "value", None) is not None]
    return Subject(indicator, sheet.quarter_rows(indicator, results), row.achieved,
                   reported[-1] if reported else None, row.status, quarter)


def quarter_record(row: sheet.QuarterRow) -> dict[str, Any]:
    return {
        "quarter": row.number,
        "target": number(row.target),
        "value": number(row.value),
        "value_to_date": number(row.value_to_date),
        "achievement": number(rules.rounded_score(row.achievement)),
        "score_self": number(row.score_self),
        "score_confirmed": number(row.score_confirmed),
        "status": row.status,
        "status_label": str(row.status_label),
    }


def indicator_record(subject: Subject, strategy_codes: Sequence[str], api: bool = True) -> dict[str, Any]:
    """The indicator with its quarters: an API list item, an open data row.
    `api`: with the API's own link to the indicator."""
    indicator = subject.indicator
    owner = indicator.owner
    group = owner.district_group
    year, code = indicator.fiscal_year.year, indicator.code
    record = {
        "year": year,
        "code": code,
        "name": indicator.name,
        "agency_code": owner.code,
        "agency_name": owner.name,
        "agency_short_name": owner.short_name,
        "district_group": group.code if group else None,
        "district_group_name": group.name if group else None,
        "category": indicator.category,
        "result_chain_level": indicator.result_chain_level,
        "unit": indicator.unit,
        "annual_target": number(indicator.annual_target),
        "weight": number(indicator.weight),
        "aggregation": indicator.aggregation,
        "direction": indicator.direction,
        "decimal_places": indicator.decimal_places,
        "strategy": list(strategy_codes),
        "achieved": number(subject.achieved),
        "achieved_quarter": subject.achieved_quarter,
        "status_quarter": subject.status_quarter,
        "status": subject.status,
        "status_label": str(selectors_browse.STATUS_LABELS[subject.status]),
        "quarters": [quarter_record(row) for row in subject.quarters],
        "page_url": reverse("public:indicator", args=[year, code]),
    }
    if api:
        record["url"] = reverse("api:indicator-detail", args=[year, code])
    return record


# The long texts of an indicator's detail (API detail; not in the bulk files).
TEXT_FIELDS = ("definition", "calculation_method", "data_sources", "supporting_projects")


def narrative_record(entry: sheet.QuarterNarrative) -> dict[str, Any]:
    return {
        "quarter": entry.number,
        "text": entry.general,
        "district_groups": [{"name": part.group_name, "text": part.text} for part in entry.parts],
    }


def detail_record(subject: Subject, built: sheet.Sheet, operations_summary: str) -> dict[str, Any]:
    """An indicator's page as data: the list record, its texts, criteria and
    the narratives `built` (its sheet, public or staff) shows."""
    indicator = subject.indicator
    codes = [chain[-1].code for chain in built.strategy_chains]
    record = indicator_record(subject, codes)
    record.update({name: getattr(indicator, name) for name in TEXT_FIELDS})
    record["operations_summary"] = operations_summary
    record["criteria"] = [number(value) for value in indicator.criteria] if indicator.has_criteria else None
    record["narratives"] = [narrative_record(entry) for entry in built.narratives]
    return record
