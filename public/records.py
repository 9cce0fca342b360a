"""An indicator and its quarters as plain data: the one shape that the open
data (CSV and JSON) and the JSON API share, built from rows the selectors
loaded (no queries here).

Built from the public rows (public/selectors.PublicRow: accepted quarters
only) for the public, and from the staff rows (the list's own results) for
a signed-in token, through the same quarter_rows.quarter_rows either way."""

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

from indicators import public, quarter_rows, rules
from indicators.codes import IndicatorCodeConverter
from indicators.models import QUARTERS, Indicator, QuarterResult
from indicators.selectors import browse as selectors_browse
from reports import sheet

from .selectors import PublicRow


def number(value: Decimal | None) -> Decimal | int | None:
    """A stored decimal without its padding zeros: 20.0000 -> 20 (an int),
    12.5000 -> 12.5; None stays None."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


@functools.lru_cache(maxsize=64)
def _labels(language: str | None, which: str) -> dict[str, str]:
    found: Mapping[str, Any] = {
        "public": public.STATUS_LABELS,  # a quarter as the public sees it
        "staff": dict(QuarterResult.Status.choices),  # a quarter's workflow status
        "year": selectors_browse.STATUS_LABELS,  # an indicator's status at a quarter
    }[which]
    return {key: str(label) for key, label in found.items()}


def labels(which: str) -> dict[str, str]:
    """Status labels as text, translated once per language rather than for
    each of thousands of rows."""
    return _labels(translation.get_language(), which)


@functools.lru_cache(maxsize=64)
def _url_template(name: str, year: int, language: str | None) -> str:
    return reverse(name, args=[year, PLACEHOLDER])


PLACEHOLDER = "__code__"
CONVERTER = IndicatorCodeConverter()


def indicator_url(name: str, year: int, code: str) -> str:
    """reverse(name, args=[year, code]) for an <int:year>/<code:code> route,
    without resolving the pattern for each of thousands of rows: the same
    escaping (the converter's, then the URL quoting reverse() applies)."""
    code_part = quote(CONVERTER.to_url(code), safe=RFC3986_SUBDELIMS + "/~:@")
    return _url_template(name, year, translation.get_language()).replace(PLACEHOLDER, code_part)


@dataclass(slots=True)
class Subject:
    """What a record is built from, public or staff alike."""

    indicator: Indicator
    quarters: list[quarter_rows.QuarterRow]
    achieved: Decimal | None
    achieved_quarter: int | None
    status: str
    status_quarter: int


def public_subject(row: PublicRow) -> Subject:
    quarters = quarter_rows.quarter_rows(row.indicator, row.results, labels("public"))
    return Subject(row.indicator, quarters, row.achieved, row.achieved_quarter, row.status, row.status_quarter)


def staff_subject(indicator: Indicator, results: Mapping[int, Any], quarter: int) -> Subject:
    """As the staff list and page show it (browse.ListRow, quarter_rows.quarter_rows)."""
    row = selectors_browse.ListRow(indicator, results, quarter)
    reported = [number for number in QUARTERS if getattr(results.get(number), "value", None) is not None]
    return Subject(indicator, quarter_rows.quarter_rows(indicator, results, labels("staff")), row.achieved,
                   reported[-1] if reported else None, row.status, quarter)


def quarter_record(row: quarter_rows.QuarterRow) -> dict[str, Any]:
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
        "status_label": labels("year")[subject.status],
        "quarters": [quarter_record(row) for row in subject.quarters],
        "page_url": indicator_url("public:indicator", year, code),
    }
    if api:
        record["url"] = indicator_url("api:indicator-detail", year, code)
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
