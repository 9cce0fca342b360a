"""The statuses stored on each indicator (indicators/stored_status.py), and
the counts kept from them (status_counts.py), equal what the rules say of
its results after every kind of write: the report
form, the evaluator's accept, score, return and reopen, target and field
edits, result deletions, the workbook import, the year rollover and the
generator; so do the public statuses (public_status_q1..q4: public.status_at
on the accepted quarters). `check_statuses` finds a difference and repairs it."""

import random
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from demo import synthetic
from evaluation import services
from indicators import public, rules, status_counts, stored_status
from indicators.models import QUARTERS, Indicator, QuarterResult, StatusCount
from indicators.selectors.browse import NOT_REPORTED, results_by_indicator, status_as_of
from reports.services import ReportChanges, save_quarter_report
from yearsetup.rollover import rollover
from yearsetup.workbook import columns as spec
from yearsetup.workbook import service

from .entry_support import open_indicator, set_window
from .pytest_fixtures import SEED_YEAR
from .test_list_status import _build, _cases
from .workbook_support import edit, export_year

D = Decimal
pytestmark = pytest.mark.django_db


def assert_stored_equal_rules(queryset=None):
    """Every stored status and achieved value is the rules' answer, checked
    here independently of stored_status.differences as well."""
    queryset = Indicator.objects.all() if queryset is None else queryset.all()  # not a cached list
    assert stored_status.differences(queryset) == []
    assert status_counts.differences() == []  # and the counts kept from them
    results = results_by_indicator(queryset)
    for indicator in queryset:
        mine = results.get(indicator.pk, {})
        masked = public.public_results(indicator.aggregation, mine)
        for q in QUARTERS:
            assert getattr(indicator, f"status_q{q}") == status_as_of(indicator, mine, q), (indicator.code, q)
            assert getattr(indicator, f"public_status_q{q}") == public.status_at(indicator, masked, q), (
                indicator.code, q)


def stored(indicator):
    indicator.refresh_from_db()
    return [getattr(indicator, f"status_q{q}") for q in QUARTERS]


def stored_public(indicator):
    indicator.refresh_from_db()
    return [getattr(indicator, f"public_status_q{q}") for q in QUARTERS]


def test_check_statuses_finds_bulk_writes_and_repairs_them(capsys):
    queryset = _build(list(_cases(300)))  # bulk_create: past save() and refresh
    assert Indicator.objects.exclude(status_q4=NOT_REPORTED).count() == 0
    with pytest.raises(CommandError, match="indicators differ"):
        call_command("check_statuses")

    call_command("check_statuses", "--repair")

    assert_stored_equal_rules(queryset)
    assert set(queryset.values_list("status_q2", flat=True)) == {rules.MET, rules.NOT_MET, rules.PENDING, NOT_REPORTED}
    call_command("check_statuses")  # no difference left: no error
    assert "agree with the rules" in capsys.readouterr().out


def test_check_statuses_finds_and_repairs_a_wrong_public_status(capsys):
    synthetic.generate(indicators=40, years=1, seed=8, narratives=False, log=lambda *a: None)
    indicator = Indicator.objects.filter(public_status_q4=rules.MET).order_by("code").first()
    # Written past save(): neither refresh nor the counts see it.
    Indicator.objects.filter(pk=indicator.pk).update(public_status_q4=rules.NOT_MET)
    assert [found.pk for found, _s, _w in stored_status.differences()] == [indicator.pk]
    with pytest.raises(CommandError, match="1 indicators differ"):
        call_command("check_statuses")

    call_command("check_statuses", "--repair")

    assert stored_public(indicator)[3] == rules.MET
    assert_stored_equal_rules()
    # A public count alone wrong is found and counted again too.
    row = StatusCount.objects.filter(quarter=4, public_met__gt=0).order_by("pk").first()
    StatusCount.objects.filter(pk=row.pk).update(public_met=row.public_met + 1)
    with pytest.raises(CommandError, match="1 fiscal years miscounted"):
        call_command("check_statuses")
    call_command("check_statuses", "--repair")
    assert status_counts.differences() == []
    assert "counted 1 fiscal years again" in capsys.readouterr().out


def test_random_saves_and_deletes_keep_the_stored_statuses():
    queryset = _build(list(_cases(200, seed=11)))
    # As the bulk writers do after writing past save().
    stored_status.refresh(queryset.values_list("pk", flat=True), recount=False)
    status_counts.rebuild_all()
    rng = random.Random(5)
    results = list(QuarterResult.objects.all())
    for result in rng.sample(results, 80):
        result.value = rng.choice([None, D("0"), D("3"), D("6"), D("70")])
        result.target = rng.choice([None, D("5"), D("60")])
        result.score_confirmed = rng.choice([None, D("0"), D("100")])
        # Accepted, returned (as a reopen leaves it) or still open.
        result.status = rng.choice([QuarterResult.Status.ACCEPTED, QuarterResult.Status.RETURNED,
                                    QuarterResult.Status.SUBMITTED])
        result.save()
    for result in rng.sample(results, 20):
        result.delete()
    for indicator in rng.sample(list(queryset), 40):
        indicator.annual_target = rng.choice([D("0"), D("6"), D("80.5")])
        indicator.aggregation = rng.choice([rules.CUMULATIVE, rules.SUM, rules.AVERAGE, rules.LATEST])
        indicator.direction = rng.choice([rules.HIGHER_IS_BETTER, rules.LOWER_IS_BETTER])
        indicator.save()

    assert_stored_equal_rules(queryset)


def test_entry_and_every_review_action_store_the_rules_status(make_user, evaluator):
    indicator = open_indicator(annual_target=D("10"), aggregation=rules.CUMULATIVE)
    reporter = make_user("reporter", [indicator.owner])

    def report(quarter, value, submit=True):
        version = QuarterResult.objects.filter(indicator=indicator, quarter=quarter).values_list("version", flat=True)
        return save_quarter_report(user=reporter, indicator=indicator, quarter_number=quarter,
                                   expected_version=version.first() or 0,
                                   changes=ReportChanges(value=D(value), submit=submit))

    result = report(1, "12")
    assert stored(indicator) == [rules.PENDING, NOT_REPORTED, NOT_REPORTED, rules.PENDING]
    assert stored_public(indicator) == [rules.PENDING] * 4  # nothing accepted yet
    assert indicator.achieved == D("12")
    result = services.return_for_correction(result=result, user=evaluator, expected_version=result.version,
                                              comment="แนบหลักฐานเพิ่ม")
    assert stored(indicator)[0] == rules.PENDING
    result = report(1, "9")
    result = services.accept(result=result, user=evaluator, expected_version=result.version)
    assert stored(indicator)[0] == rules.NOT_MET  # 9 of 10
    assert stored_public(indicator)[0] == rules.NOT_MET  # accepted: public
    result = services.reopen(result=result, user=evaluator, expected_version=result.version, reason="ทบทวน")
    assert stored(indicator)[0] == rules.PENDING
    assert stored_public(indicator)[0] == rules.PENDING
    result = report(1, "10")
    services.accept(result=result, user=evaluator, expected_version=result.version)
    assert stored(indicator)[0] == rules.MET
    assert stored_public(indicator)[0] == rules.MET
    assert_stored_equal_rules()

    set_window(indicator, 4)
    final = report(4, "8")
    services.score_final_quarter(result=final, user=evaluator, expected_version=final.version, score="80")
    assert stored(indicator) == [rules.MET, NOT_REPORTED, NOT_REPORTED, rules.NOT_MET]
    assert indicator.achieved == D("8")
    assert_stored_equal_rules()

    # A target edit (admin, Indicator.save) and a milestone edit.
    indicator.annual_target = D("8")
    indicator.save()
    assert stored(indicator)[3] == rules.MET
    first = QuarterResult.objects.get(indicator=indicator, quarter=1)
    first.target = D("11")
    first.save()
    assert stored(indicator)[0] == rules.NOT_MET
    assert_stored_equal_rules()


def test_the_generator_stores_statuses():
    synthetic.generate(indicators=60, years=2, narratives=False, log=lambda *a: None)
    assert Indicator.objects.filter(status_q4=rules.MET).exists()
    assert_stored_equal_rules()


def test_the_rollover_stores_the_new_years_statuses(seed):
    synthetic.generate(indicators=30, years=1, last_year=SEED_YEAR, seed=3, narratives=False, log=lambda *a: None)
    assert Indicator.objects.filter(fiscal_year__year=SEED_YEAR, status_q4=rules.MET).exists()

    rollover(source=SEED_YEAR, user=AnonymousUser())

    new_year = Indicator.objects.filter(fiscal_year__year=SEED_YEAR + 1)
    assert new_year.exists() and not new_year.exclude(status_q4=NOT_REPORTED).exists()
    assert_stored_equal_rules()


def test_an_imported_target_change_restores_the_rules_status(seed):
    synthetic.generate(indicators=30, years=1, last_year=SEED_YEAR, seed=3, narratives=False, log=lambda *a: None)
    met = Indicator.objects.filter(fiscal_year__year=SEED_YEAR, status_q4=rules.MET,
                                   direction=rules.HIGHER_IS_BETTER).order_by("code").first()
    content = edit(export_year(SEED_YEAR), spec.INDICATORS, {(met.code, "annual_target"): 10_000_000})

    summary = service.run(content, file_name="plan.xlsx", user=AnonymousUser(), apply=True,
                          allow_scored_target_change=True)

    assert summary["applied"], summary["problems"]
    assert stored(met)[3] == rules.NOT_MET
    assert_stored_equal_rules()


def _pages(client, url):
    """Every page's context of a paginated page."""
    number = 1
    while True:
        response = client.get(f"{url}&page={number}")
        assert response.status_code == 200
        yield response.context
        if not response.context["page"].has_next():
            return
        number += 1


@pytest.mark.parametrize("quarter", [2, 4])
def test_the_status_filter_and_counts_agree_with_the_rows_shown(manager_client, quarter):
    synthetic.generate(indicators=120, years=1, last_year=2569, seed=4, reporting_quarter=3, narratives=False,
                       log=lambda *a: None)
    results = results_by_indicator(Indicator.objects.all())
    by_rules = {i.code: status_as_of(i, results.get(i.pk, {}), quarter) for i in Indicator.objects.all()}
    dashboard = manager_client.get(f"/reports/dashboard/?year=2569&quarter={quarter}").context
    totals = {status: count for status, _label, count, _url in dashboard["totals"]}

    for status in {*by_rules.values()}:
        shown = {row.indicator.code: row.status for context in _pages(
            manager_client, f"/?year=2569&quarter={quarter}&status={status}") for row in context["rows"]}
        assert shown == {code: s for code, s in by_rules.items() if s == status}
        assert totals[status] == len(shown)
    assert sum(totals.values()) == len(by_rules)


def test_the_tables_group_counts_agree_with_its_rows(manager_client):
    synthetic.generate(indicators=120, years=1, last_year=2569, seed=4, narratives=False, log=lambda *a: None)
    headers, rows = {}, {}
    for context in _pages(manager_client, "/reports/quarterly/?year=2569&group_by=agency"):
        for group in context["groups"]:
            headers.setdefault(group.key, (group.total, group.met_year))
            assert headers[group.key] == (group.total, group.met_year)  # the same header on every page
            rows.setdefault(group.key, []).extend(row.status for row in group.rows)
    assert len(headers) > 3 and sum(len(r) for r in rows.values()) == 120
    assert headers == {key: (len(statuses), statuses.count(rules.MET)) for key, statuses in rows.items()}
