"""Timings for data entry, run outside the test suite:

    DATABASE_URL=sqlite:////tmp/entry_bench.sqlite3 .venv/bin/python benchmarks/entry_bench.py

It migrates the database DATABASE_URL names and fills it with made-up data,
so point it at a scratch database. Prints the median of several runs of:
saving a quarter report (draft, 2,000-character narrative, through the
form view), the "my indicators" page with 200 indicators, and an indicator's
history page after 100 saves; with each page's SQL query count."""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# DEBUG is off, as in production, so the development key is refused.
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")

import django  # noqa: E402

django.setup()

import datetime  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.models import Agency, FiscalYear, Indicator, Quarter, QuarterResult  # noqa: E402
from reports.selectors import fiscal_year_of  # noqa: E402

N_INDICATORS = 200
N_SAVES = 100


def timed(fn, runs=7):
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    return statistics.median(times) * 1000, queries


def main():
    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    fiscal_year, _ = FiscalYear.objects.get_or_create(year=fiscal_year_of(today))
    for number in (1, 2, 3, 4):
        Quarter.objects.update_or_create(
            fiscal_year=fiscal_year, number=number,
            defaults={"opens_on": today - datetime.timedelta(days=3), "closes_on": today + datetime.timedelta(days=3)},
        )
    agency, _ = Agency.objects.get_or_create(code="BENCH", defaults={"name": "หน่วยงานทดสอบความเร็ว"})
    Indicator.objects.filter(owner=agency).delete()
    indicators = Indicator.objects.bulk_create(
        Indicator(fiscal_year=fiscal_year, code=f"B-{n:04d}", name=f"ตัวชี้วัดทดสอบ {n}", owner=agency, unit="ครั้ง",
                  annual_target=Decimal("100"), category="ทดสอบ")
        for n in range(N_INDICATORS)
    )
    QuarterResult.objects.bulk_create(
        QuarterResult(indicator=ind, quarter=q, value=Decimal(q), status="draft", version=1)
        for ind in indicators for q in (1, 2)
    )
    user, _ = get_user_model().objects.get_or_create(username="bench-reporter")
    user.groups.set([Group.objects.get_or_create(name="reporter")[0]])
    agency.members.add(user)
    client = Client()
    client.force_login(user)
    target = indicators[0]
    url = f"/indicators/{fiscal_year.year}/{target.code}/quarters/3/report/"
    narrative = "ผลการดำเนินงาน " * 125  # about 2,000 characters

    def save():
        version = QuarterResult.objects.filter(indicator=target, quarter=3).values_list("version", flat=True).first()
        response = client.post(url, {"version": version or 0, "value": "3", "narrative": narrative + str(time.time()),
                                     "action": "draft"})
        assert response.status_code == 302, response.status_code

    for _ in range(N_SAVES):
        save()
    rows = [
        ("save a quarter report (POST, draft)", *timed(save)),
        (f"my indicators, {N_INDICATORS} indicators", *timed(lambda: client.get("/my-indicators/"))),
        (f"history page after {N_SAVES}+ saves",
         *timed(lambda: client.get(f"/indicators/{fiscal_year.year}/{target.code}/history/"))),
        ("indicator detail page", *timed(lambda: client.get(target.get_absolute_url()))),
    ]
    print(f"database: {connection.vendor}")
    for label, ms, queries in rows:
        print(f"{label:<40} {ms:8.1f} ms  {queries:3d} queries")


if __name__ == "__main__":
    main()
