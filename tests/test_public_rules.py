"""The public rule (indicators/public.py): a quarter's figures are public once
the evaluator accepted it, and for sums and averages only after every
earlier quarter holding a result is accepted too. The public status stored
on each indicator (stored_status.py: public_status_q1..q4), which the public
list filters by, must be the Python rule's answer on any data, as the staff
statuses are (test_list_status.py)."""

import random
from decimal import Decimal

import pytest

from indicators import public, rules, stored_status
from indicators.models import Indicator, QuarterResult
from indicators.selectors.browse import results_by_indicator

from .factories import AgencyFactory, FiscalYearFactory

D = Decimal
TEN = D("10")
S = QuarterResult.Status
STATUSES = list(S.values)


class Row:
    def __init__(self, status, value=TEN, target=None, score_self=None, score_confirmed=None):
        self.status, self.value, self.target = status, value, target
        self.score_self, self.score_confirmed = score_self, score_confirmed


def test_only_accepted_quarters_are_published():
    for status in STATUSES:
        results = {1: Row(status, score_confirmed=D("100") if status == S.ACCEPTED else None)}
        expected = {1} if status == S.ACCEPTED else set()
        assert public.published_quarters(rules.CUMULATIVE, results) == expected


@pytest.mark.parametrize("aggregation", [rules.SUM, rules.AVERAGE])
def test_a_sum_waits_for_an_earlier_quarter_not_accepted(aggregation):
    results = {1: Row(S.RETURNED, D("5")), 2: Row(S.ACCEPTED, D("7")), 3: Row(S.ACCEPTED, D("1"))}
    assert public.published_quarters(aggregation, results) == set()
    # An earlier quarter with no result does not hold it back: it adds nothing.
    results[1] = Row(S.DRAFT, None)
    assert public.published_quarters(aggregation, results) == {2, 3}


@pytest.mark.parametrize("aggregation", [rules.CUMULATIVE, rules.LATEST])
def test_cumulative_quarters_stand_alone(aggregation):
    results = {1: Row(S.RETURNED, D("5")), 2: Row(S.ACCEPTED, D("7")), 3: Row(S.SUBMITTED, D("9"))}
    assert public.published_quarters(aggregation, results) == {2}


def test_masked_results_hold_no_figure_of_a_quarter_not_published():
    results = {
        1: Row(S.ACCEPTED, D("20"), target=D("5"), score_self=D("100"), score_confirmed=D("100")),
        2: Row(S.SUBMITTED, D("999"), target=D("6"), score_self=D("88")),
    }
    masked = public.public_results(rules.CUMULATIVE, results)
    assert set(masked) == {1, 2, 3, 4}
    assert masked[1].value == D("20") and masked[1].status == "accepted"
    assert (masked[2].value, masked[2].score_self, masked[2].score_confirmed) == (None, None, None)
    assert masked[2].status == "pending" and masked[2].target == D("6")  # the plan's milestone stays
    assert masked[4].status == "pending" and masked[4].target is None
    assert public.achieved_to_date(rules.CUMULATIVE, masked) == (D("20"), 1)


def test_the_year_waits_for_quarter_four():
    indicator = Indicator(annual_target=D("6"), aggregation=rules.CUMULATIVE, direction=rules.HIGHER_IS_BETTER)
    accepted = {q: Row(S.ACCEPTED, D("20"), score_confirmed=D("100")) for q in (1, 2, 3)}
    masked = public.public_results(indicator.aggregation, {**accepted, 4: Row(S.SUBMITTED, D("1"))})
    assert public.status_at(indicator, masked) == rules.PENDING
    assert public.status_at(indicator, masked, 3) == rules.MET
    masked = public.public_results(indicator.aggregation,
                                   {**accepted, 4: Row(S.ACCEPTED, D("1"), score_confirmed=D("16.67"))})
    assert public.status_at(indicator, masked) == rules.NOT_MET
    # Nothing published is pending, never "not reported".
    assert public.status_at(indicator, public.public_results(indicator.aggregation, {})) == rules.PENDING


VALUES = [None, D("0"), D("0.1"), D("0.7"), D("5.9999"), D("6"), D("6.0001"), D("20"), D("70")]
TARGETS = [D("0"), D("0.8"), D("6"), D("80.5")]


def _build(count, seed):
    rng = random.Random(seed)
    year = FiscalYearFactory(year=2569)
    owner = AgencyFactory()
    aggregations = [rules.CUMULATIVE, rules.SUM, rules.AVERAGE, rules.LATEST]
    indicators = Indicator.objects.bulk_create(
        Indicator(fiscal_year=year, owner=owner, code=f"P-{n:04d}", name="ทดสอบ", unit="หน่วย", category="ทดสอบ",
                  annual_target=rng.choice(TARGETS), aggregation=aggregations[n % 4],
                  direction=[rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER][(n // 4) % 2])
        for n in range(count)
    )
    rows = []
    for indicator in indicators:
        for q in (1, 2, 3, 4):
            if rng.random() < 0.15:
                continue
            status = rng.choice(STATUSES + [S.ACCEPTED] * 3)
            accepted = status == S.ACCEPTED
            rows.append(QuarterResult(
                indicator=indicator, quarter=q, status=status, value=rng.choice(VALUES),
                target=rng.choice([None, None, *TARGETS]),
                # As the services keep them: scores once accepted (a few
                # odd rows too: an accepted quarter without 2.2, a score
                # left on a quarter not accepted).
                score_confirmed=rng.choice([D("100"), D("0"), D("50")] if accepted else [None, None, None, D("70")])
                if rng.random() < 0.97 else None,
            ))
    QuarterResult.objects.bulk_create(rows)
    # Written past save() and its signals, as the bulk writers do; stored
    # as they then store them.
    queryset = Indicator.objects.filter(fiscal_year=year)
    stored_status.refresh(queryset.values_list("pk", flat=True))
    return queryset


@pytest.mark.django_db
@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_stored_public_status_agrees_with_python(quarter):
    queryset = _build(500, seed=quarter)
    results = results_by_indicator(queryset)
    in_sql = dict(queryset.with_status(quarter, name="public_status", public=True)
                  .values_list("pk", "public_status"))
    in_python = {
        indicator.pk: public.status_at(indicator, public.public_results(indicator.aggregation,
                                                                       results.get(indicator.pk, {})), quarter)
        for indicator in queryset
    }
    disagreements = {pk: (in_sql[pk], in_python[pk]) for pk in in_python if in_sql[pk] != in_python[pk]}
    assert not disagreements
    assert set(in_python.values()) == {rules.MET, rules.NOT_MET, rules.PENDING}


@pytest.mark.django_db
def test_public_status_filter_uses_the_public_rule():
    """The staff status of a submitted quarter may be "pending" too, but
    a met quarter 2 after a reopened quarter 1 differs: staff met, public
    pending."""
    year = FiscalYearFactory(year=2569)
    indicator = Indicator.objects.create(fiscal_year=year, owner=AgencyFactory(), code="X-1", name="x", unit="u",
                                         category="c", annual_target=D("10"), aggregation=rules.SUM)
    QuarterResult.objects.create(indicator=indicator, quarter=1, value=D("5"), status=S.RETURNED)
    QuarterResult.objects.create(indicator=indicator, quarter=2, value=D("6"), status=S.ACCEPTED,
                                 score_self=D("100"), score_confirmed=D("100"))
    queryset = Indicator.objects.filter(pk=indicator.pk)
    assert queryset.with_status(2).get().status == rules.MET
    assert queryset.with_status(2, public=True).get().status == rules.PENDING
