"""The public dashboard (/public/<year>/) counts the stored public statuses
(status_counts.public_by_status): its numbers are those of a count by hand
over public.status_at, on generated data with indicators hidden from the
public, quarters returned or reopened after being accepted, and sums and
averages whose earlier quarter is not accepted; and the public list's
status filter shows exactly the indicators counted."""

import random
from collections import Counter

import pytest

from demo import synthetic
from indicators import public, rules, status_counts
from indicators.models import Agency, FiscalYear, Indicator, QuarterResult, StatusCount, StrategyNode
from indicators.selectors.browse import results_by_indicator
from reports import dashboard

pytestmark = pytest.mark.django_db
YEAR = 2569
S = QuarterResult.Status


def generate(seed, reporting_quarter=3):
    """A year in progress (quarter 3 open; None: quarter 4 being scored),
    published, then changed through save() as the admin and the evaluator's
    services change it."""
    synthetic.generate(indicators=150, years=1, last_year=YEAR, seed=seed, reporting_quarter=reporting_quarter,
                       narratives=False, log=lambda *a: None)
    rng = random.Random(seed)
    indicators = list(Indicator.objects.order_by("code"))
    # Some hidden as sensitive, and every indicator of one agency.
    hidden_agency = Agency.objects.filter(indicators__isnull=False).order_by("code").first()
    for indicator in indicators:
        if indicator.owner_id == hidden_agency.pk or rng.random() < 0.1:
            indicator.public_hidden = True
            indicator.save()
    # Accepted quarters returned (as a reopen leaves them: no confirmed score).
    accepted = list(QuarterResult.objects.filter(status=S.ACCEPTED).order_by("pk"))
    for result in rng.sample(accepted, 25):
        result.status, result.score_confirmed = S.RETURNED, None
        result.save()
    # Sums and averages whose quarter 1 waits while quarter 2 is accepted.
    waiting = QuarterResult.objects.filter(
        quarter=1, status=S.ACCEPTED, value__isnull=False,
        indicator__aggregation__in=[rules.SUM, rules.AVERAGE]).order_by("pk")
    for result in waiting[:8]:
        result.status = S.SUBMITTED
        result.save()
    FiscalYear.objects.filter(year=YEAR).update(published=True)


def by_hand(quarter):
    """(totals, {dimension id: Counter}, {agency id: Counter}) of the public
    statuses by public.status_at, each dimension found by walking up the
    plan; nothing shared with status_counts or the stored statuses."""
    indicators = Indicator.objects.filter(fiscal_year__year=YEAR, public_hidden=False)
    results = results_by_indicator(indicators)
    totals, by_dimension, by_agency = Counter(), {}, {}
    for indicator in indicators.prefetch_related("strategy_nodes__parent__parent__parent"):
        masked = public.public_results(indicator.aggregation, results.get(indicator.pk, {}))
        status = public.status_at(indicator, masked, quarter)
        totals[status] += 1
        by_agency.setdefault(indicator.owner_id, Counter())[status] += 1
        for dimension in {node.chain()[0].pk for node in indicator.strategy_nodes.all()} or {None}:
            by_dimension.setdefault(dimension, Counter())[status] += 1
    return totals, by_dimension, by_agency


def nonzero(counts):
    return Counter({status: n for status, n in counts.items() if n})


@pytest.mark.parametrize("quarter,seed", [(1, 1), (2, 2), (3, 3), (4, 4)])
def test_the_public_dashboard_counts_what_the_public_rule_says(client, quarter, seed):
    generate(seed, reporting_quarter=3 if quarter < 4 else None)
    totals, by_dimension, by_agency = by_hand(quarter)
    # The data holds what the test is about: hidden indicators, and public
    # statuses that differ from the staff ones.
    assert Indicator.objects.filter(public_hidden=True).exists()
    assert Indicator.objects.filter(status_q2__in=[rules.MET, rules.NOT_MET], public_status_q2=rules.PENDING).exists()
    assert len(totals) >= 2

    counted = dashboard.stored_public_status_counts(FiscalYear.objects.get(year=YEAR), quarter)
    assert nonzero(counted[0]) == totals and counted[0]["not_reported"] == 0
    assert {key: nonzero(counts) for key, counts in counted[1].items()} == by_dimension
    assert {key: nonzero(counts) for key, counts in counted[2].items()} == by_agency

    # The page shows those numbers, and no row for the agency all hidden.
    context = client.get(f"/public/{YEAR}/?quarter={quarter}").context
    assert nonzero(context["totals"]) == totals and context["total"] == sum(totals.values())
    names = {agency.pk: agency.name for agency in Agency.objects.all()}
    assert {row["label"]: nonzero(row["counts"]) for row in context["agency_rows"]} == {
        names[pk]: counts for pk, counts in by_agency.items()}
    labels = {node.pk: f"{node.code} {node.title}" for node in StrategyNode.objects.filter(parent=None)}
    shown = {row["label"]: nonzero(row["counts"]) for row in context["dimension_rows"]}
    assert shown == {labels.get(pk, "ไม่ระบุด้านยุทธศาสตร์"): counts for pk, counts in by_dimension.items()}


def test_the_public_status_filter_shows_the_indicators_counted(client):
    generate(seed=6, reporting_quarter=None)
    indicators = Indicator.objects.filter(public_hidden=False)
    results = results_by_indicator(indicators)
    for quarter in (2, 4):
        by_rule = {indicator.code: public.status_at(
            indicator, public.public_results(indicator.aggregation, results.get(indicator.pk, {})), quarter)
            for indicator in indicators}
        totals = dashboard.stored_public_status_counts(FiscalYear.objects.get(year=YEAR), quarter)[0]
        for status in public.STATUSES:
            shown, number = {}, 1
            while True:
                context = client.get(f"/public/{YEAR}/indicators/?quarter={quarter}&status={status}"
                                     f"&page={number}").context
                shown |= {row.indicator.code: row.status for row in context["rows"]}
                if not context["page"].has_next():
                    break
                number += 1
            assert shown == {code: s for code, s in by_rule.items() if s == status}, (quarter, status)
            assert totals[status] == len(shown)
        assert len(set(by_rule.values())) == 3  # every public status occurs


def test_an_unpublished_year_counts_nothing_for_the_public():
    generate(seed=7)
    year = FiscalYear.objects.get(year=YEAR)
    assert sum(dashboard.stored_public_status_counts(year, 4)[0].values()) > 0
    FiscalYear.objects.filter(pk=year.pk).update(published=False)
    totals, by_dimension, by_agency = dashboard.stored_public_status_counts(year, 4)
    assert sum(totals.values()) == 0 and not by_dimension and not by_agency


def test_hiding_an_indicator_counts_it_out_at_once():
    generate(seed=9)
    year = FiscalYear.objects.get(year=YEAR)
    shown = Indicator.objects.filter(public_hidden=False).order_by("code").first()
    before = dashboard.stored_public_status_counts(year, 4)[0][shown.public_status_q4]
    shown.public_hidden = True
    shown.save()  # Indicator.save: its agency counted again
    assert dashboard.stored_public_status_counts(year, 4)[0][shown.public_status_q4] == before - 1
    assert status_counts.differences() == []
    # The staff counts still count it.
    assert StatusCount.objects.filter(fiscal_year=year, quarter=4, per_dimension=False).exists()
    assert sum(status_counts.by_status(StatusCount.objects.filter(fiscal_year=year), 4)[0].values()) == 150
