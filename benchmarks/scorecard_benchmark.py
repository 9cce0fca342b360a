"""Server time of the scorecard and ranking pages (issue 12), at city scale.

A script, not a test: it measures and prints a Markdown table. Requests go
through Django's test client (the whole middleware stack, sessions and
permissions; no network), signed in as a manager. Each year's scheme is
measured both ways (percent, then five-level), the year's setting restored
afterwards.

Use a database of its own, never one that matters:

    createdb -h 127.0.0.1 -U postgres kpi_score
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_score
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --indicators 25000 --years 10 --no-narratives
    .venv/bin/python benchmarks/scorecard_benchmark.py     # 25,000 (2,500 a year)
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

import statistics  # noqa: E402
import time  # noqa: E402

from browse_benchmark import measure, percentile  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from indicators.models import Agency, FiscalYear, Indicator  # noqa: E402
from indicators.permissions import MANAGER, ensure_role_groups  # noqa: E402


def measure_cold(client, url, runs):
    """As measure, but with an empty cache before every request: the ranking
    right after a change, the indicator page after its sheet changed."""
    client.get(url)
    times, cpu = [], []
    for _ in range(runs):
        cache.clear()
        started, started_cpu = time.perf_counter(), time.process_time()
        assert client.get(url).status_code == 200
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(times), percentile(times, 95), statistics.median(cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40, help="timed requests per page (default 40)")
    parser.add_argument("--pdf-runs", type=int, default=5, help="timed requests per PDF and export (default 5)")
    args = parser.parse_args()

    ensure_role_groups()
    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get(name=MANAGER))
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)

    year = FiscalYear.objects.order_by("-year").first()
    y = year.year
    total = Indicator.objects.count()
    in_year = Indicator.objects.filter(fiscal_year=year).count()
    biggest = (Agency.objects.filter(indicators__fiscal_year=year).annotate(n=Count("indicators"))
               .order_by("-n", "code").first())
    sample = Indicator.objects.filter(fiscal_year=year).order_by("code")[in_year // 2]
    pages = [
        ("ranking, all agencies", f"/scorecards/{y}/"),
        ("ranking, district offices of one group, by pending", f"/scorecards/{y}/?group=bangkok-east&sort=pending"),
        (f"scorecard of the largest agency ({biggest.n} indicators)", f"/scorecards/{y}/{biggest.code}/"),
        ("list: declined versus last year (Q4)", f"/?year={y}&change=declined"),
    ]
    cold = [
        ("ranking, all agencies, after a change (cache empty)", f"/scorecards/{y}/"),
        ("ranking CSV, after a change (cache empty)", f"/scorecards/{y}/ranking.csv"),
        ("detail page with its trend (10 years), body not cached", sample.get_absolute_url()),
    ]
    slow = [
        ("ranking CSV", f"/scorecards/{y}/ranking.csv"),
        ("ranking XLSX", f"/scorecards/{y}/ranking.xlsx"),
        ("scorecard PDF (largest agency)", f"/scorecards/{y}/{biggest.code}/scorecard.pdf"),
    ]

    print(f"{connection.vendor}, {total:,} indicators in all, {in_year:,} in FY {y}; "
          f"{args.runs} runs per page, {args.pdf_runs} per export and PDF\n")
    print("| scheme | view | p50 ms | p95 ms | Python CPU ms | SQL ms | queries | bytes |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    saved = year.scoring_scheme
    try:
        for scheme in (FiscalYear.Scheme.PERCENT, FiscalYear.Scheme.FIVE_LEVEL):
            FiscalYear.objects.filter(pk=year.pk).update(scoring_scheme=scheme)
            for label, url in pages + slow:
                if scheme == FiscalYear.Scheme.FIVE_LEVEL and not label.startswith(("ranking", "scorecard")):
                    continue
                runs = args.pdf_runs if (label, url) in slow else args.runs
                p50, p95, cpu, sql, queries, size = measure(client, url, runs)
                print(f"| {scheme} | {label} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | {sql:.0f} | {queries} | {size:,} |")
                sys.stdout.flush()
            for label, url in cold:
                if scheme == FiscalYear.Scheme.FIVE_LEVEL and not label.startswith("ranking"):
                    continue
                p50, p95, cpu = measure_cold(client, url, args.runs)
                print(f"| {scheme} | {label} | {p50:.0f} | {p95:.0f} | {cpu:.0f} | | | |")
                sys.stdout.flush()
    finally:
        FiscalYear.objects.filter(pk=year.pk).update(scoring_scheme=saved)


if __name__ == "__main__":
    main()
