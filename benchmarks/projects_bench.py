"""Time the project list and a project's page with 10,000 projects and
40,000 activities in one year (issue 23: p95 <= 150 ms on PostgreSQL).

Run from the project root:  .venv/bin/python benchmarks/projects_bench.py [--requests 50]
(set DATABASE_URL for PostgreSQL). Builds a throwaway test database with
50 agencies in six district groups, 10,000 projects of one year, four
activities each, two quarters' updates per project with each activity's
percent, a few indicators linked; then requests, as a manager through the
Django test client: the list's first page, the list filtered by standing
(the stored standings, projects/standing.py), a search, and one project's
page; and the cost of the day's pass that stores the standings. Prints p50 and p95 in milliseconds and the number of SQL queries."""

import argparse
import datetime
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The test run's settings: DEBUG off as in production, static files found in
# place (no collectstatic needed), the application's own settings otherwise.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator  # noqa: E402
from projects import standing  # noqa: E402
from projects.models import Milestone, MilestoneProgress, Project, ProjectUpdate  # noqa: E402

PROJECTS = 10_000
MILESTONES_EACH = 4
BATCH = 2_000


def fill():
    year = FiscalYear.objects.create(year=2570)
    start = year.starts_on
    groups = [DistrictGroup.objects.create(code=f"g{n}", name=f"กลุ่ม {n}", order=n) for n in range(6)]
    agencies = [Agency.objects.create(code=f"{5000 + n}", name=f"สำนักงานเขตทดสอบ {n}", short_name=f"เขต {n}",
                                      kind="district_office", district_group=groups[n % 6]) for n in range(50)]
    indicators = Indicator.objects.bulk_create([
        Indicator(fiscal_year=year, code=f"B-{n:05d}", name=f"ตัวชี้วัดทดสอบ {n}", owner=agencies[n % 50],
                  unit="ร้อยละ", annual_target=Decimal("80"), category="ตัวชี้วัดเชิงยุทธศาสตร์")
        for n in range(200)
    ])
    projects = Project.objects.bulk_create([
        Project(fiscal_year=year, owner=agencies[n % 50], code=f"{5000 + n % 50}-{n:05d}",
                name=f"โครงการพัฒนาพื้นที่ทดสอบ {n}", responsible_name="ผู้รับผิดชอบ", budget_allocated=Decimal(500000),
                planned_start=start, planned_finish=start + datetime.timedelta(days=360))
        for n in range(PROJECTS)
    ], batch_size=BATCH)
    milestones = Milestone.objects.bulk_create([
        Milestone(project=project, name=f"กิจกรรม {m}", weight=Decimal(25), order=m,
                  planned_start=start + datetime.timedelta(days=90 * m),
                  planned_finish=start + datetime.timedelta(days=90 * m + 80 + n % 30))
        for n, project in enumerate(projects) for m in range(MILESTONES_EACH)
    ], batch_size=BATCH)
    updates = ProjectUpdate.objects.bulk_create([
        ProjectUpdate(project=project, quarter=q, progress=Decimal(10 * q + n % 20), disbursed=Decimal(50000 * q),
                      planned_disbursement=Decimal(60000 * q), narrative="ดำเนินการตามแผน", status="accepted")
        for n, project in enumerate(projects) for q in (1, 2)
    ], batch_size=BATCH)
    latest = {u.project_id: u for u in updates if u.quarter == 2}
    MilestoneProgress.objects.bulk_create([
        MilestoneProgress(update=latest[m.project_id], milestone=m, percent=Decimal((m.order * 37 + m.pk) % 101))
        for m in milestones
    ], batch_size=BATCH)
    through = Project.indicators.through
    through.objects.bulk_create([through(project_id=p.pk, indicator_id=indicators[n % 200].pk)
                                 for n, p in enumerate(projects[:2000])], batch_size=BATCH)
    return projects[1234]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(client, path, requests):
    client.get(path)  # warmed up
    times = []
    for _ in range(requests):
        began = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return statistics.median(times), percentile(times, 0.95), len(captured)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        began = time.perf_counter()
        project = fill()
        print(f"database: {connection.vendor}; filled {PROJECTS} projects, {PROJECTS * MILESTONES_EACH} activities "
              f"in {time.perf_counter() - began:.1f} s")
        user = get_user_model().objects.create_user("bench-manager", password="x")
        user.groups.add(Group.objects.get_or_create(name="manager")[0])
        client = Client()
        client.force_login(user)
        # The projects were written in bulk: the day's first list stores every
        # standing (projects/standing.py); then the daily pass when the day
        # moved on and (as mostly) no standing changed.
        began = time.perf_counter()
        client.get("/projects/")
        print(f"day's first list, storing {PROJECTS} standings: {(time.perf_counter() - began) * 1000:.0f} ms")
        Project.objects.update(standing_on=timezone.localdate() - datetime.timedelta(days=1))
        began = time.perf_counter()
        standing.refresh_stale(Project.objects.all(), timezone.localdate())
        print(f"the next day's pass, no standing changed: {(time.perf_counter() - began) * 1000:.0f} ms")
        pages = [
            ("list, first page", "/projects/"),
            ("list, by standing", "/projects/?standing=behind"),
            ("list, search", "/projects/?q=ทดสอบ 99"),
            ("project page", f"/projects/2570/{project.code}/"),
        ]
        print(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
        for label, path in pages:
            p50, p95, queries = measure(client, path, args.requests)
            print(f"{label:<20} {p50:>8.1f} {p95:>8.1f} {queries:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
