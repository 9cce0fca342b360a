"""Server time of the views across indicators, at city scale.

A script, not a test: it measures, prints a Markdown table and leaves the
judging to people. Requests go through Django's test client (the whole
middleware stack, sessions and permissions included; no network), signed in
as a manager, who sees every indicator.

Use a database of its own, never one that matters. Issue 17 compares one
fiscal year of 2,500 indicators with one of 25,000 (the cost should follow
the page, not the year), a database each:

    for n in 2500 25000; do
      createdb -h 127.0.0.1 -U postgres kpi_bench_$n
      export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_bench_$n
      .venv/bin/python manage.py migrate
      .venv/bin/python manage.py generate_data --indicators $n --years 1 --no-narratives
      psql -h 127.0.0.1 -U postgres kpi_bench_$n -c "VACUUM ANALYZE"
      .venv/bin/python benchmarks/browse_benchmark.py --json /tmp/browse-$n.json
    done
    .venv/bin/python benchmarks/browse_compare.py /tmp/browse-2500.json /tmp/browse-25000.json

Every page is for one fiscal year (the latest, as a user first sees it).
`--explain` prints EXPLAIN ANALYZE of each page's slowest queries instead.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# A whole year's export over EXPORT_JOB_ROWS rows is a print job; the same
# code makes the file in the request here, so that its time is measured.
os.environ.setdefault("EXPORT_JOB_ROWS", "100000000")
# DEBUG is off, as in production, so the development key is refused.
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from indicators.models import Agency, FiscalYear, Indicator  # noqa: E402
from indicators.permissions import MANAGER, ensure_role_groups  # noqa: E402


def percentile(samples, p):
    ordered = sorted(samples)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def measure(client, url, runs):
    client.get(url)  # warm up (templates, connection)
    times, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    sql = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    return (statistics.median(times), percentile(times, 95), statistics.median(cpu), sql,
            len(ctx.captured_queries), len(response.content))


def explain(client, label, url, slowest=3):
    """EXPLAIN ANALYZE of the page's slowest queries (PostgreSQL), with the
    lines that tell how rows are found: scans, joins, sorts, timings."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))[:slowest]
    print(f"\n## {label}  ({url})")
    for query in queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = [row[0] for row in cursor.fetchall()]
        print(f"\n-- {float(query['time']) * 1000:.1f} ms: {sql[:160]}…")
        keys = ("Scan", "Join", "Sort", "Aggregate", "Limit", "Nested Loop", "Unique", "Execution Time", "Rows Removed")
        for line in plan:
            if any(key in line for key in keys):
                print("   " + line.rstrip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--export-runs", type=int, default=5, help="timed requests per export (default 5)")
    parser.add_argument("--only", default="", help="measure only the views whose label contains this")
    parser.add_argument("--no-exports", action="store_true", help="measure the pages only")
    parser.add_argument("--json", help="also write the figures to this file (for browse_compare.py)")
    parser.add_argument("--explain", action="store_true",
                        help="print EXPLAIN ANALYZE of each page's three slowest queries, measure nothing")
    args = parser.parse_args()

    ensure_role_groups()
    User = get_user_model()
    user, _ = User.objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get(name=MANAGER))
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)

    year = FiscalYear.objects.order_by("-year").first()
    total = Indicator.objects.count()
    in_year = Indicator.objects.filter(fiscal_year=year).count()
    agency = Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE).order_by("code").first()
    sample = Indicator.objects.filter(fiscal_year=year).order_by("code")[in_year // 2]
    y = year.year
    search = quote("ขยะ")
    pages = [
        ("list", "/"),
        ("list, page 20 sorted by name", f"/?year={y}&sort=name&page=20"),
        ("list, status not met at Q2", f"/?year={y}&quarter=2&status=not_met"),
        ("filtered search (Thai word + status + group)", f"/?year={y}&q={search}&status=met&group=bangkok-south"),
        ("search by code", f"/?year={y}&q={quote(sample.code)}"),
        # One agency's indicators under one dimension: 7 rows at 2,500 a year,
        # a full page at 25,000 (the page grows, not only the year).
        ("list, agency + strategy node", f"/?year={y}&agency={agency.code}&strategy=1"),
        # A full page at both sizes.
        ("list, district group + strategy node", f"/?year={y}&group=bangkok-south&strategy=1"),
        ("quarterly table by dimension", f"/reports/quarterly/?year={y}"),
        ("quarterly table by agency, page 10", f"/reports/quarterly/?year={y}&group_by=agency&page=10"),
        ("dashboard (Q4)", f"/reports/dashboard/?year={y}"),
        ("dashboard (Q2)", f"/reports/dashboard/?year={y}&quarter=2"),
        ("detail page", sample.get_absolute_url()),
    ]
    exports = [
        ("export list CSV (one year)", f"/indicators/export.csv?year={y}"),
        ("export list XLSX (one year)", f"/indicators/export.xlsx?year={y}"),
        ("export table CSV (one year)", f"/reports/quarterly/export.csv?year={y}"),
        ("export table XLSX (one year)", f"/reports/quarterly/export.xlsx?year={y}"),
    ]

    if args.explain:
        for label, url in pages:
            if args.only in label:
                explain(client, label, url)
        return

    print(f"{connection.vendor}, {total:,} indicators in all, {in_year:,} in FY {y}; "
          f"{args.runs} runs per page, {args.export_runs} per export\n")
    # p50/p95: wall-clock server time. Python CPU: this process's CPU time
    # (median), SQL: the database's time for one request, both to tell work
    # from waiting when the machine is shared.
    print("| view | p50 ms | p95 ms | Python CPU ms | SQL ms | queries | bytes |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    figures = {"indicators_in_year": in_year, "pages": {}}
    for label, url in pages + ([] if args.no_exports else exports):
        if args.only not in label:
            continue
        runs = args.export_runs if label.startswith("export") else args.runs
        p50, p95, cpu, sql, queries, size = measure(client, url, runs)
        figures["pages"][label] = {"p50": p50, "p95": p95, "cpu": cpu, "sql": sql, "queries": queries}
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {sql:.0f} | {queries} | {size:,} |")
        sys.stdout.flush()
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
