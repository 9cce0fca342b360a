"""Time the evaluator's review queue at growing numbers of waiting quarters.

Run from the project root:  .venv/bin/python benchmarks/review_queue.py
(set DATABASE_URL for PostgreSQL). Builds a throwaway test database, fills it
with submitted quarters spread over years, agencies and district groups, and
renders /review/ (first page, and filtered by district group) several times
per size. Prints the median time and the number of SQL queries."""

import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# DEBUG is off, as in production, so the development key is refused.
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator, QuarterResult  # noqa: E402

SIZES = (10, 1_000, 5_000)
RUNS = 7


def fill(total, start):
    groups = list(DistrictGroup.objects.all()) or [
        DistrictGroup.objects.create(code=f"g{n}", name=f"กลุ่ม {n}", order=n) for n in range(6)
    ]
    years = [FiscalYear.objects.get_or_create(year=2563 + n)[0] for n in range(3)]
    agencies = list(Agency.objects.all())
    for n in range(len(agencies), 50):
        agencies.append(Agency.objects.create(code=f"B{n:03d}", name=f"สำนักงานเขตทดสอบ {n}",
                                              short_name=f"เขต {n}", kind="district_office",
                                              district_group=groups[n % len(groups)]))
    indicators = Indicator.objects.bulk_create([
        Indicator(fiscal_year=years[n % 3], code=f"B-{start + n:06d}", name=f"ตัวชี้วัดทดสอบ {start + n}",
                  owner=agencies[n % len(agencies)], unit="ร้อยละ", annual_target=Decimal("80"),
                  category="ตัวชี้วัดเชิงยุทธศาสตร์")
        for n in range(total)
    ])
    now = timezone.now()
    QuarterResult.objects.bulk_create([
        QuarterResult(indicator=ind, quarter=1 + n % 4, value=Decimal(n % 100), status="submitted",
                      submitted_at=now - timezone.timedelta(minutes=n), version=1)
        for n, ind in enumerate(indicators)
    ])
    return groups[0]


def measure(client, query):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get("/review/", query)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get("/review/", query)
    return statistics.median(times), len(ctx.captured_queries)


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        user = get_user_model().objects.create_user("bench-evaluator", password="x")
        user.groups.add(Group.objects.get_or_create(name="evaluator")[0])
        client = Client()
        client.force_login(user)
        print(f"database: {connection.vendor}")
        print(f"{'waiting':>8} {'first page ms':>14} {'queries':>8} {'by group ms':>12} {'queries':>8}")
        made = 0
        for size in SIZES:
            group = fill(size - made, made)
            made = size
            page_ms, page_q = measure(client, {})
            group_ms, group_q = measure(client, {"district_group": group.pk})
            print(f"{size:>8} {page_ms:>14.1f} {page_q:>8} {group_ms:>12.1f} {group_q:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
