"""python manage.py generate_data: realistic synthetic data at scale."""

import pytest
from django.core.management import CommandError, call_command

from evaluation import services
from indicators import rules
from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator, QuarterResult, StrategyNode
from reports.models import Narrative

pytestmark = pytest.mark.django_db


def test_generates_the_city_and_its_indicators():
    call_command("generate_data", indicators=300, years=3, stdout=open("/dev/null", "w"))
    assert list(FiscalYear.objects.values_list("year", flat=True).order_by("year")) == [2567, 2568, 2569]
    assert Indicator.objects.count() == 300
    assert Indicator.objects.filter(fiscal_year__year=2569).count() == 100
    # 20 departments and 50 district offices, each office in one of six groups
    assert Agency.objects.filter(kind=Agency.Kind.DEPARTMENT).count() == 20
    offices = Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE)
    assert offices.count() == 50 and not offices.filter(district_group=None).exists()
    assert DistrictGroup.objects.count() == 6
    # a four-level plan; every indicator supports objectives at the lowest level
    assert set(StrategyNode.objects.values_list("level", flat=True)) == {1, 2, 3, 4}
    assert not Indicator.objects.filter(strategy_nodes=None).exists()
    assert not Indicator.objects.exclude(strategy_nodes__level=4).exists()
    assert QuarterResult.objects.count() == 1200
    # narratives of realistic length, some past a thousand characters
    lengths = [len(t) for t in Narrative.objects.values_list("text", flat=True)]
    assert lengths and min(lengths) >= 150 and max(lengths) > 1000
    # every status occurs, as in a real year
    statuses = set(Indicator.objects.with_status().values_list("status", flat=True))
    assert {rules.MET, rules.NOT_MET, rules.PENDING} <= statuses


def test_scores_follow_the_rules():
    call_command("generate_data", indicators=40, years=1, stdout=open("/dev/null", "w"))
    # The generator's 2.1 is exactly what the evaluator's page suggests
    # (the value to date, one rounding).
    checked = 0
    for result in QuarterResult.objects.select_related("indicator").exclude(value=None):
        assert result.score_self == services.computed_score(result), result
        checked += 1
    assert checked > 100


def test_running_again_adds_rather_than_fails():
    call_command("load_demo", quiet_logins=True)
    call_command("generate_data", indicators=50, years=1, last_year=2563, stdout=open("/dev/null", "w"))
    call_command("generate_data", indicators=50, years=1, last_year=2563, stdout=open("/dev/null", "w"))
    assert Indicator.objects.filter(fiscal_year__year=2563).count() == 101  # the seed indicator kept
    assert Agency.objects.filter(name="สำนักงานเขตราชเทวี").count() == 1  # demo agencies reused


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        call_command("generate_data", indicators=0)
    with pytest.raises(CommandError):
        call_command("generate_data", last_year=2026)


def test_a_year_in_progress_has_its_open_quarter_at_every_stage():
    call_command("generate_data", indicators=120, years=2, last_year=2570, reporting_quarter=1,
                 stdout=open("/dev/null", "w"))
    open_quarter = QuarterResult.objects.filter(indicator__fiscal_year__year=2570, quarter=1)
    assert set(open_quarter.values_list("status", flat=True)) == {
        "not_started", "draft", "submitted", "returned", "accepted"}
    assert not open_quarter.filter(status="returned", reviewer_comment="").exists()
    assert not open_quarter.filter(status="not_started", value__isnull=False).exists()
    later = QuarterResult.objects.filter(indicator__fiscal_year__year=2570, quarter__gt=1)
    assert later.exists() and not later.filter(value__isnull=False).exists()
    # Only accepted quarters carry a confirmed score; the year before is complete.
    assert not open_quarter.exclude(status="accepted").filter(score_confirmed__isnull=False).exists()
    past = QuarterResult.objects.filter(indicator__fiscal_year__year=2569, quarter__lt=4)
    assert set(past.exclude(value=None).values_list("status", flat=True)) == {"accepted"}
