"""Server time of the public site, the open data and the JSON API (issue 14),
at city scale: p50 / p95 of each page once cached, the same with the cache
empty before every request, and the public indicator page against the staff
detail page, both uncached.

A script, not a test: it measures and prints Markdown tables. Requests go
through Django's test client (the whole middleware stack; no network):
anonymous for the public pages and the API, a manager's personal token for
the API as staff, a signed-in manager for the staff detail page. The API's
anonymous rate limit is lifted for the run (API_ANON_RATE).

Use a database of its own, never one that matters:

    createdb -h 127.0.0.1 -U postgres kpi_bench_public
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_bench_public
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --indicators 25000 --years 1     # 25,000 in FY 2569
    .venv/bin/python benchmarks/public_benchmark.py

The year measured (the latest) is published for the run and its setting
restored afterwards.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("API_ANON_RATE", "100000000/minute")
os.environ.setdefault("API_TOKEN_RATE", "100000000/minute")

import django  # noqa: E402

django.setup()

from browse_benchmark import measure, percentile  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from api.models import ApiToken  # noqa: E402
from indicators.models import Agency, FiscalYear, Indicator  # noqa: E402
from indicators.permissions import MANAGER, ensure_role_groups  # noqa: E402

FILTERED = "/api/v1/indicators/?q=ร้อยละ&quarter=4&status=pending&page_size=200"


def measure_cold(client, url, runs, **headers):
    """As browse_benchmark.measure, with the cache emptied before every
    request: the page right after an evaluator accepted, scored or reopened."""
    client.get(url, **headers)
    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times), percentile(times, 95)


def row(label, url, p50, p95, extra=""):
    print(f"| {label} | `{url}` | {p50:.1f} | {p95:.1f} |{extra}")
    sys.stdout.flush()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page (default 50)")
    parser.add_argument("--cold-runs", type=int, default=20, help="timed uncached requests per page (default 20)")
    parser.add_argument("--file-runs", type=int, default=3, help="timed uncached open data files (default 3)")
    args = parser.parse_args()

    ensure_role_groups()
    manager, _ = get_user_model().objects.get_or_create(username="bench-manager")
    manager.groups.add(Group.objects.get(name=MANAGER))
    _token, raw = ApiToken.issue(manager, "benchmark")
    token = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    anonymous = Client(SERVER_NAME="127.0.0.1")
    staff = Client(SERVER_NAME="127.0.0.1")
    staff.force_login(manager)

    year = FiscalYear.objects.order_by("-year").first()
    y = year.year
    in_year = Indicator.objects.filter(fiscal_year=year).count()
    # An indicator with narratives in every quarter, from the middle of the year's codes.
    sample = (Indicator.objects.filter(fiscal_year=year).annotate(n=Count("narratives")).filter(n__gte=4)
              .order_by("code")[in_year // 4])
    agency = Agency.objects.filter(indicators__fiscal_year=year).annotate(n=Count("indicators")).order_by("-n").first()
    code = sample.code

    pages = [
        ("public: years", "/public/"),
        ("public: year overview (by dimension and agency)", f"/public/{y}/"),
        ("public: year overview at quarter 2", f"/public/{y}/?quarter=2"),
        ("public: list", f"/public/{y}/indicators/"),
        ("public: list, search + status", f"/public/{y}/indicators/?q=จำนวน&status=met"),
        ("public: list, strategy + quarter 2 pending, page 3",
         f"/public/{y}/indicators/?strategy=7&quarter=2&status=pending&page=3"),
        ("public: indicator page", f"/public/{y}/indicators/{code}/"),
        ("public: data dictionary", "/public/data/"),
        ("open data: CSV", f"/public/{y}/data.csv"),
        ("open data: JSON", f"/public/{y}/data.json"),
        ("API: indicators", "/api/v1/indicators/"),
        ("API: indicators, 200 a page, filtered", FILTERED),
        ("API: indicators of an agency, sorted by target", f"/api/v1/indicators/?agency={agency.code}&sort=-target"),
        ("API: quarter results", "/api/v1/quarter-results/"),
        ("API: quarter results, quarter 4, 200 a page", "/api/v1/quarter-results/?of_quarter=4&page_size=200"),
        ("API: one indicator", f"/api/v1/indicators/{y}/{code}/"),
        ("API: agencies", "/api/v1/agencies/"),
        ("API: strategy plan", "/api/v1/strategy/"),
    ]
    token_pages = [
        ("API (token): indicators", "/api/v1/indicators/"),
        ("API (token): quarter results", "/api/v1/quarter-results/"),
        ("API (token): one indicator", f"/api/v1/indicators/{y}/{code}/"),
        ("API (token): ranking", f"/api/v1/scorecards/{y}/"),
    ]
    cold = [
        ("public: year overview", f"/public/{y}/"),
        ("public: list", f"/public/{y}/indicators/"),
        ("public: list, search + status", f"/public/{y}/indicators/?q=จำนวน&status=met"),
        ("API: indicators", "/api/v1/indicators/"),
        ("API: indicators, 200 a page, filtered", FILTERED),
        ("API: quarter results", "/api/v1/quarter-results/"),
        ("API: one indicator", f"/api/v1/indicators/{y}/{code}/"),
    ]

    published = year.published
    FiscalYear.objects.filter(pk=year.pk).update(published=True)
    try:
        print(f"{connection.vendor}, {Indicator.objects.count():,} indicators in all, {in_year:,} in FY {y}; "
              f"{args.runs} runs per cached page, {args.cold_runs} per uncached page\n")
        print("Once cached (a repeat of the same request):\n")
        print("| view | URL | p50 ms | p95 ms | queries | bytes |")
        print("|---|---|---:|---:|---:|---:|")
        for label, url in pages:
            p50, p95, _cpu, _sql, queries, size = measure(anonymous, url, args.runs)
            row(label, url, p50, p95, f" {queries} | {size:,} |")
        for label, url in token_pages:
            p50, p95, _cpu, _sql, queries, size = measure_with(anonymous, url, args.runs, token)
            row(label, url, p50, p95, f" {queries} | {size:,} |")

        print("\nUncached (the cache emptied before every request):\n")
        print("| view | URL | p50 ms | p95 ms |")
        print("|---|---|---:|---:|")
        for label, url in cold:
            p50, p95 = measure_cold(anonymous, url, args.cold_runs)
            row(label, url, p50, p95)
        for label, url in (("open data: CSV", f"/public/{y}/data.csv"), ("open data: JSON", f"/public/{y}/data.json")):
            p50, p95 = measure_cold(anonymous, url, args.file_runs)
            row(label, url, p50, p95)

        print("\nThe public indicator page against the staff detail page, both uncached:\n")
        print("| page | URL | p50 ms | p95 ms |")
        print("|---|---|---:|---:|")
        public_url, staff_url = f"/public/{y}/indicators/{code}/", sample.get_absolute_url()
        public_p50, public_p95 = measure_cold(anonymous, public_url, args.cold_runs * 2)
        staff_p50, staff_p95 = measure_cold(staff, staff_url, args.cold_runs * 2)
        row("public indicator page", public_url, public_p50, public_p95)
        row("staff detail page (manager)", staff_url, staff_p50, staff_p95)
        print(f"\npublic / staff (p50): {public_p50 / staff_p50:.2f}")
    finally:
        FiscalYear.objects.filter(pk=year.pk).update(published=published)
        ApiToken.objects.filter(user=manager, name="benchmark").delete()


def measure_with(client, url, runs, headers):
    """browse_benchmark.measure with request headers (a token)."""
    from django.test.utils import CaptureQueriesContext

    client.get(url, **headers)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    return (statistics.median(times), percentile(times, 95), 0, 0, len(ctx.captured_queries), len(response.content))


if __name__ == "__main__":
    main()
