"""The status filter and the dashboard count the statuses stored on each
indicator (stored_status.py); the rows show the status computed in Python by
rules.py. These tests hold the two to the same answer on random cases."""

import itertools
import random
from decimal import Decimal

import pytest

from indicators import rules, stored_status
from indicators.models import Indicator, QuarterResult
from indicators.selectors.browse import NOT_REPORTED, results_by_indicator, status_as_of

from .factories import AgencyFactory, FiscalYearFactory

D = Decimal
VALUES = [None, D("0"), D("0.1"), D("0.7"), D("5.9999"), D("6"), D("6.0001"), D("20"), D("70"), D("-3")]
TARGETS = [D("0"), D("0.8"), D("6"), D("80.5")]


def _cases(count, seed=2569):
    rng = random.Random(seed)
    aggregations = [rules.CUMULATIVE, rules.SUM, rules.AVERAGE, rules.LATEST]
    directions = [rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER]
    for n in range(count):
        quarters = []
        silent = rng.random() < 0.1  # some indicators have reported nothing
        for _quarter in (1, 2, 3, 4):
            present = not silent and rng.random() < 0.85
            quarters.append(
                None if not present else {
                    "value": rng.choice(VALUES),
                    "target": rng.choice([None, None, *TARGETS]),
                    "score_confirmed": rng.choice([None, D("100"), D("0")]),
                }
            )
        yield {
            "aggregation": aggregations[n % 4],
            "direction": directions[(n // 4) % 2],
            "annual_target": rng.choice(TARGETS),
            "quarters": quarters,
        }


def _build(cases):
    year = FiscalYearFactory(year=2569)
    owner = AgencyFactory()
    indicators = Indicator.objects.bulk_create(
        Indicator(
            fiscal_year=year, owner=owner, code=f"S-{n:04d}", name="ทดสอบสถานะ", unit="หน่วย",
            category="ทดสอบ", annual_target=case["annual_target"], aggregation=case["aggregation"],
            direction=case["direction"],
        )
        for n, case in enumerate(cases)
    )
    QuarterResult.objects.bulk_create(
        QuarterResult(indicator=indicator, quarter=q, **spec)
        for indicator, case in zip(indicators, cases, strict=True)
        for q, spec in enumerate(case["quarters"], start=1)
        if spec is not None
    )
    return Indicator.objects.filter(fiscal_year=year)


def _stored(queryset):
    # bulk_create went past save() and its signals, as the bulk writers do.
    stored_status.refresh(queryset.values_list("pk", flat=True))
    return queryset.all()


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_stored_status_agrees_with_rules(quarter):
    queryset = _stored(_build(list(_cases(400))))
    results = results_by_indicator(queryset)
    in_sql = dict(queryset.with_status(quarter).values_list("pk", "status"))
    in_python = {ind.pk: status_as_of(ind, results.get(ind.pk, {}), quarter) for ind in queryset}
    disagreements = {pk: (in_sql[pk], in_python[pk]) for pk in in_python if in_sql[pk] != in_python[pk]}
    assert not disagreements
    # the sample really exercises every status
    assert set(in_python.values()) == {rules.MET, rules.NOT_MET, rules.PENDING, NOT_REPORTED}


@pytest.mark.django_db
def test_float_prone_sums_agree():
    """0.7 + 0.1 is not 0.8 in floating point; the status must still be met."""
    evaluated = {"target": None, "score_confirmed": D("100")}
    cases = [
        {"aggregation": agg, "direction": direction, "annual_target": D("0.8"),
         "quarters": [{"value": D("0.7"), **evaluated}, {"value": D("0.1"), **evaluated}, None,
                      {"value": None, "target": None, "score_confirmed": D("100")}]}
        for agg, direction in itertools.product([rules.SUM], [rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER])
    ]
    queryset = _stored(_build(cases))
    statuses = dict(queryset.with_status().values_list("code", "status"))
    assert statuses == {"S-0000": rules.MET, "S-0001": rules.MET}


def test_status_rules_in_python():
    class Row:
        def __init__(self, value=None, target=None, score_confirmed=None):
            self.value, self.target, self.score_confirmed = value, target, score_confirmed

    ind = Indicator(annual_target=D("6"), aggregation=rules.CUMULATIVE, direction=rules.HIGHER_IS_BETTER)
    assert status_as_of(ind, {}) == NOT_REPORTED
    assert status_as_of(ind, {1: Row(D("20"))}) == rules.PENDING
    assert status_as_of(ind, {1: Row(D("20")), 4: Row(None, score_confirmed=D("0"))}) == rules.MET
    assert status_as_of(ind, {1: Row(D("5")), 4: Row(None, score_confirmed=D("90"))}) == rules.NOT_MET
    # quarter 2 is judged against its own milestone once confirmed
    assert status_as_of(ind, {2: Row(D("3"), target=D("3"), score_confirmed=D("100"))}, 2) == rules.MET
    assert status_as_of(ind, {2: Row(D("3"), target=None, score_confirmed=D("50"))}, 2) == rules.NOT_MET
    assert status_as_of(ind, {2: Row(D("3"))}, 2) == rules.PENDING
    assert status_as_of(ind, {2: Row(None)}, 2) == NOT_REPORTED
