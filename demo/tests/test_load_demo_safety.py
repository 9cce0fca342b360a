"""load_demo (run by make run at every start) only ever adds the demo to an
empty database: a second run changes nothing, existing users keep their
passwords, and a database holding other data is refused before any write."""

from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from indicators.models import Agency, Indicator, QuarterResult
from tests.factories import AgencyFactory
from tests.pytest_fixtures import SEED_CODE, SEED_YEAR

pytestmark = pytest.mark.django_db
User = get_user_model()


def load_demo():
    call_command("load_demo", quiet_logins=True)


def test_a_second_run_keeps_changed_passwords_and_rows():
    load_demo()
    admin = User.objects.get(username="admin")
    admin.set_password("a-real-password-2570")
    admin.save()
    result = QuarterResult.objects.get(indicator__code=SEED_CODE, indicator__fiscal_year__year=SEED_YEAR, quarter=1)
    result.value = 777
    result.save()

    load_demo()

    admin.refresh_from_db()
    result.refresh_from_db()
    assert admin.check_password("a-real-password-2570")
    assert not admin.check_password("demo-admin-2563")
    assert result.value == 777


def test_an_existing_user_of_a_demo_name_is_left_alone():
    User.objects.create_user("admin", password="the-city-admins-own-2570", is_superuser=False)

    load_demo()

    admin = User.objects.get(username="admin")
    assert admin.check_password("the-city-admins-own-2570")
    assert not admin.is_superuser
    assert User.objects.get(username="reporter").check_password("demo-reporter-2563")  # the others were made


def test_a_database_with_other_data_is_refused_and_left_unchanged():
    AgencyFactory(code="2100", name="สำนักยุทธศาสตร์และประเมินผล (ข้อมูลจริง)")

    with pytest.raises(CommandError, match="already holds data that is not the demo's"):
        load_demo()

    assert list(Agency.objects.values_list("name", flat=True)) == ["สำนักยุทธศาสตร์และประเมินผล (ข้อมูลจริง)"]
    assert not Indicator.objects.exists()
    assert not User.objects.exists()


def test_a_demo_with_deleted_demo_rows_is_refused():
    load_demo()
    Indicator.objects.filter(code=SEED_CODE).delete()

    with pytest.raises(CommandError, match="35 of the 44 rows of demo.json"):
        load_demo()

    assert not Indicator.objects.filter(code=SEED_CODE).exists()


def test_the_demo_city_shows_what_each_page_is_for(db):
    from indicators.selectors.browse import NOT_REPORTED

    call_command("load_demo", quiet_logins=True, city=True)
    seed = Indicator.objects.get(fiscal_year__year=2563, code="2100-1037")
    assert list(seed.quarter_results.order_by("quarter").values_list("value", flat=True)) == [20, 20, 70, 70]
    complete = Indicator.objects.filter(fiscal_year__year=2569)
    assert complete.count() >= 250
    statuses = Counter(complete.with_status(4).values_list("status", flat=True))
    assert set(statuses) == {"met", "not_met", "pending", NOT_REPORTED}
    assert statuses["met"] + statuses["not_met"] > statuses["pending"]  # mostly evaluated
    assert complete.filter(owner__kind="district_office").values("owner").distinct().count() >= 40
    running = QuarterResult.objects.filter(indicator__fiscal_year__year=2570, quarter=1)
    assert set(running.values_list("status", flat=True)) >= {"draft", "submitted", "returned", "accepted"}
    # A second start changes nothing.
    before = Indicator.objects.count()
    call_command("load_demo", quiet_logins=True, city=True)
    assert Indicator.objects.count() == before
