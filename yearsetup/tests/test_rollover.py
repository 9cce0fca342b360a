"""Starting fiscal year N+1 from N (yearsetup/rollover.py, manage.py
rollover_year)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command

from indicators.models import FiscalYear, Indicator, Quarter, QuarterResult
from reports.models import Narrative
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR
from yearsetup.rollover import RolloverRefused, rollover

pytestmark = pytest.mark.django_db
NEXT = SEED_YEAR + 1


def test_rollover_copies_indicators_without_results_or_narratives(seed):
    seed.operations_summary = "สรุปของปีเก่า"
    seed.save()
    rolled = rollover(source=SEED_YEAR, user=AnonymousUser())

    copy = Indicator.objects.get(fiscal_year__year=NEXT, code=SEED_CODE)
    assert rolled.created == Indicator.objects.filter(fiscal_year__year=SEED_YEAR).count()
    assert (copy.name, copy.owner, copy.unit, copy.annual_target, copy.definition) == (
        seed.name, seed.owner, seed.unit, seed.annual_target, seed.definition)
    assert copy.operations_summary == ""
    assert list(copy.strategy_nodes.all()) == list(seed.strategy_nodes.all())
    assert not QuarterResult.objects.filter(indicator=copy, value__isnull=False).exists()
    assert not Narrative.objects.filter(indicator=copy).exists()
    assert copy.history.latest().history_change_reason == f"ยกมาจากปีงบประมาณ {SEED_YEAR}"


def test_rollover_twice_creates_one_year(seed):
    call_command("rollover_year", str(SEED_YEAR))
    call_command("rollover_year", str(SEED_YEAR))
    assert FiscalYear.objects.filter(year=NEXT).count() == 1
    assert Quarter.objects.filter(fiscal_year__year=NEXT).count() == 4
    assert Indicator.objects.filter(fiscal_year__year=NEXT).count() == \
        Indicator.objects.filter(fiscal_year__year=SEED_YEAR).count()


def test_quarters_get_the_default_windows_or_the_ones_given(seed):
    rollover(source=SEED_YEAR, user=AnonymousUser(),
             windows={2: (datetime.date(2021, 2, 15), datetime.date(2021, 4, 15))})
    windows = {q.number: (q.opens_on, q.closes_on) for q in Quarter.objects.filter(fiscal_year__year=NEXT)}
    # FY 2564 = Oct 2020 - Sep 2021; Q1 reported Nov 2020 - Jan 2021.
    assert windows[1] == (datetime.date(2020, 11, 1), datetime.date(2021, 1, 31))
    assert windows[2] == (datetime.date(2021, 2, 15), datetime.date(2021, 4, 15))
    assert windows[4] == (datetime.date(2021, 8, 1), datetime.date(2021, 10, 31))


def test_targets_can_be_left_blank(seed):
    QuarterResult.objects.filter(indicator=seed, quarter=1).update(target=Decimal("2"))
    rollover(source=SEED_YEAR, user=AnonymousUser(), carry_targets=False)
    copy = Indicator.objects.get(fiscal_year__year=NEXT, code=SEED_CODE)
    assert copy.annual_target is None
    assert not QuarterResult.objects.filter(indicator=copy).exists()


def test_targets_are_carried_over_by_default(seed):
    QuarterResult.objects.filter(indicator=seed, quarter=1).update(target=Decimal("2"))
    rollover(source=SEED_YEAR, user=AnonymousUser())
    copy = Indicator.objects.get(fiscal_year__year=NEXT, code=SEED_CODE)
    assert copy.annual_target == 6
    assert QuarterResult.objects.get(indicator=copy, quarter=1).target == 2


def test_a_year_without_targets_shows_its_page(client, make_user, seed):
    rollover(source=SEED_YEAR, user=AnonymousUser(), carry_targets=False)
    client.force_login(make_user("manager"))
    assert client.get(f"/indicators/{NEXT}/{SEED_CODE}/").status_code == 200
    assert client.get(f"/?year={NEXT}").status_code == 200


def test_an_unknown_year_is_refused(db):
    with pytest.raises(RolloverRefused, match="ไม่พบปีงบประมาณ 2500"):
        rollover(source=2500, user=AnonymousUser())
    with pytest.raises(CommandError):
        call_command("rollover_year", "2500")
