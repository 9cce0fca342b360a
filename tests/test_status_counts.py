"""The status counts (indicators/status_counts.py) agree with the indicators
they count after the writes that change what is counted without changing a
status (an indicator moved to another agency or category, its strategy
links changed, a node of the plan moved, an indicator deleted), and the
pages that read them (dashboard, quarterly table) show the numbers of the
rows they count, for everyone and for a reporter of one agency.
test_stored_status.py checks them after every kind of status change."""

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from demo import synthetic
from indicators import rules, status_counts
from indicators.models import Agency, Indicator, QuarterResult, StatusCount, StrategyNode
from reports import tables

from .test_stored_status import _pages

pytestmark = pytest.mark.django_db
YEAR = 2569


def generate(count=90, seed=5):
    synthetic.generate(indicators=count, years=1, last_year=YEAR, seed=seed, reporting_quarter=3,
                       narratives=False, log=lambda *a: None)


def by_hand(indicators, quarter):
    """(totals, by dimension, by agency) counted from the rows in Python,
    each dimension found by walking up the plan: nothing shared with
    status_counts but the stored statuses."""
    totals, by_dimension, by_agency = Counter(), Counter(), Counter()
    for indicator in indicators.prefetch_related("strategy_nodes__parent__parent__parent"):
        status = getattr(indicator, f"status_q{quarter}")
        totals[status] += 1
        by_agency[indicator.owner_id, status] += 1
        dimensions = {node.chain()[0].pk for node in indicator.strategy_nodes.all()} or {None}
        for dimension in dimensions:
            by_dimension[dimension, status] += 1
    return totals, by_dimension, by_agency


def dashboard_numbers(client, quarter):
    context = client.get(f"/reports/dashboard/?year={YEAR}&quarter={quarter}").context
    totals = Counter({status: count for status, _label, count, _url in context["totals"] if count})
    agencies = {agency.name: agency.pk for agency in Agency.objects.all()}
    by_agency = Counter({(agencies[bar.label], segment.key): segment.count
                         for bar in context["agency_bars"] for segment in bar.segments if segment.count})
    return totals, by_agency


def test_moves_links_plan_changes_and_deletes_are_counted_again():
    generate()
    assert status_counts.differences() == []
    first, second, third, fourth = Indicator.objects.order_by("code")[:4]
    other = Agency.objects.exclude(pk=first.owner_id).order_by("code").first()

    first.owner, first.category = other, "ประเภทใหม่"  # Indicator.save: both agencies counted again
    first.save()
    assert status_counts.differences() == []
    assert "ประเภทใหม่" in status_counts.categories(YEAR)

    dimensions = list(StrategyNode.objects.filter(parent=None).order_by("code"))
    second.strategy_nodes.set([dimensions[0], dimensions[-1]])  # links from the indicator's side
    assert status_counts.differences() == []
    second.strategy_nodes.clear()  # now under no dimension
    assert status_counts.differences() == []
    dimensions[1].indicators.add(third)  # links from the node's side
    assert status_counts.differences() == []

    goal = StrategyNode.objects.filter(level=StrategyNode.Level.GOAL).order_by("code").first()
    elsewhere = StrategyNode.objects.filter(level=StrategyNode.Level.SUB_DIMENSION).exclude(
        parent=goal.parent.parent).order_by("code").first()
    assert Indicator.objects.under_node(goal).exists()
    goal.parent = elsewhere  # its indicators move to another dimension
    goal.save()
    assert status_counts.differences() == []

    fourth.delete()
    assert status_counts.differences() == []


@pytest.mark.parametrize("quarter", [2, 4])
def test_the_dashboard_shows_the_counts_of_the_rows_the_user_may_see(client, make_user, quarter):
    generate()
    agency = Agency.objects.filter(indicators__isnull=False).order_by("code").first()
    reporter = make_user("reporter", [agency])
    manager = make_user("manager")

    for user, indicators in ((manager, Indicator.objects.all()), (reporter, Indicator.objects.filter(owner=agency))):
        client.force_login(user)
        totals, by_agency = dashboard_numbers(client, quarter)
        want_totals, _want_dimensions, want_agency = by_hand(indicators, quarter)
        assert totals == want_totals
        assert by_agency == want_agency
    assert set(key for key, _status in by_agency) == {agency.pk}  # the reporter: only their agency


def test_the_dashboards_dimension_bars_count_each_indicator_once_per_dimension(manager_client):
    generate()
    # One indicator under two objectives of one dimension, another under two dimensions.
    dimensions = list(StrategyNode.objects.filter(parent=None).order_by("code"))
    objectives = StrategyNode.objects.filter(level=StrategyNode.Level.OBJECTIVE)
    two_in_one, two_dimensions = Indicator.objects.order_by("code")[:2]
    two_in_one.strategy_nodes.set(objectives.filter(parent__parent__parent=dimensions[0])[:2])
    two_dimensions.strategy_nodes.set([dimensions[0], dimensions[1]])

    context = manager_client.get(f"/reports/dashboard/?year={YEAR}").context
    labels = {f"{node.code} {node.title}": node.pk for node in dimensions}
    shown = Counter({(labels.get(bar.label), segment.key): segment.count
                     for bar in context["dimension_bars"] for segment in bar.segments if segment.count})
    _totals, want, _agencies = by_hand(Indicator.objects.all(), 4)
    assert shown == want


@pytest.mark.parametrize("query", [
    "group_by=agency",
    "group_by=dimension",
    "group_by=dimension&category=ตัวชี้วัดเชิงยุทธศาสตร์",  # counted, one category
    "group_by=agency&quarter=2&status=met",  # a status filter: counted from the rows instead
])
def test_the_tables_headers_and_row_count_agree_with_its_rows(manager_client, monkeypatch, query):
    generate(count=160)
    # Small pages: most lie inside one group, some span two or more.
    monkeypatch.setattr("reports.views.browse.TABLE_PAGE_SIZE", 7)
    headers, rows, count = {}, {}, None
    for context in _pages(manager_client, f"/reports/quarterly/?year={YEAR}&{query}"):
        count = context["page"].paginator.count
        for group in context["groups"]:
            headers.setdefault(group.key, (group.total, group.met_year))
            assert headers[group.key] == (group.total, group.met_year)  # the same on every page
            rows.setdefault(group.key, []).extend(row.status for row in group.rows)
    assert len(headers) > 2
    assert count == sum(len(statuses) for statuses in rows.values())
    assert headers == {key: (len(statuses), statuses.count(rules.MET)) for key, statuses in rows.items()}


def test_the_category_choices_are_the_years_categories(manager_client):
    generate()
    response = manager_client.get(f"/?year={YEAR}")
    choices = [value for value, _label in response.context["filterset"].form.fields["category"].choices if value]
    assert choices == sorted(set(Indicator.objects.values_list("category", flat=True)))


def test_check_statuses_finds_wrong_counts_and_counts_again(capsys):
    generate(count=30)
    StatusCount.objects.filter(quarter=4, per_dimension=False).update(met=F("met") + 1)
    with pytest.raises(CommandError, match="miscounted"):
        call_command("check_statuses")
    assert "status counts differ" in capsys.readouterr().out

    call_command("check_statuses", "--repair")

    assert status_counts.differences() == []
    call_command("check_statuses")


@pytest.mark.parametrize("group_by", ["agency", "dimension"])
def test_the_tables_pages_read_from_the_counts_are_the_whole_tables_order(manager_client, monkeypatch, group_by):
    generate(count=160)
    for indicator in Indicator.objects.order_by("code")[:20]:
        indicator.strategy_nodes.clear()  # under no dimension: the last group, pages of its own
    monkeypatch.setattr("reports.views.browse.TABLE_PAGE_SIZE", 7)
    shown = [(group.key, row.indicator.pk)
             for context in _pages(manager_client, f"/reports/quarterly/?year={YEAR}&group_by={group_by}")
             for group in context["groups"] for row in group.rows]
    whole = [(key, pk) for _sort, _code, key, pk in tables.ordered_rows(Indicator.objects.all(), group_by)]
    assert shown == whole


@pytest.mark.django_db(transaction=True)
def test_simultaneous_writes_to_one_agency_are_both_counted():
    """Two transactions change statuses of two indicators of one agency at
    the same instant: each recounts the agency, one after the other (the
    agency's row lock), so neither's rows are lost or counted twice."""
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks across connections (runs on PostgreSQL in CI)")
    generate(count=40)
    unscored = Indicator.objects.exclude(status_q4__in=[rules.MET, rules.NOT_MET])
    agency = Counter(unscored.values_list("owner_id", flat=True)).most_common(1)[0][0]
    first, second = unscored.filter(owner_id=agency).order_by("code")[:2]
    barrier = threading.Barrier(2)
    errors = []

    def write(indicator):
        try:
            barrier.wait()
            with transaction.atomic():
                # Quarter 4 scored: the year's status changes, the agency is recounted.
                QuarterResult.objects.update_or_create(
                    indicator=indicator, quarter=4, defaults={"value": Decimal("1"), "score_confirmed": Decimal("100")})
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(indicator,)) for indicator in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert {first.pk, second.pk} <= set(Indicator.objects.filter(status_q4__in=[rules.MET, rules.NOT_MET])
                                        .values_list("pk", flat=True))
    assert status_counts.differences() == []


def test_a_node_renamed_recounts_nothing_a_node_moved_recounts():
    generate(count=30)
    goal = StrategyNode.objects.filter(level=StrategyNode.Level.GOAL).order_by("code").first()

    def recounts():
        with CaptureQueriesContext(connection) as ctx:
            goal.save()
        return sum('DELETE FROM "indicators_statuscount"' in q["sql"] for q in ctx.captured_queries)

    goal.title = "ชื่อใหม่"
    assert recounts() == 0
    goal.parent = StrategyNode.objects.filter(level=StrategyNode.Level.SUB_DIMENSION).exclude(
        pk=goal.parent_id).order_by("code").first()
    assert recounts() == 1
    assert status_counts.differences() == []
