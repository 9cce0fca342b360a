"""Benchmark of the printed PDFs: one indicator sheet, and books of 100 and
500 indicators, on the demo data scaled up; each beside raw WeasyPrint laying
out the very same HTML, so the application's own overhead shows as a ratio.

    DATABASE_URL=sqlite:////tmp/pdf_bench.sqlite3 .venv/bin/python benchmarks/pdf_benchmark.py
    .venv/bin/python benchmarks/pdf_benchmark.py --sizes 100 --repeat 1

It builds its own database content: migrate, load_demo, then copies of the seed
indicator (2100-1037, with its four narratives, quarterly results and strategy
chain) spread over the demo agencies. The scaling lives here on purpose: the
project's `generate_data` command is being written on another branch. Use a
scratch database: the script adds indicators to whatever DATABASE_URL names.

Each measurement runs in a fresh child process so peak memory (ru_maxrss) is
that of one rendering alone: "app" is the whole request path (queries,
build_sheet, templates, WeasyPrint) through the view with Django's test
client; "raw" is weasyprint.HTML(string=html).write_pdf() of each HTML document
the app handed to WeasyPrint in that case (a sheet: the sheet and its
footer; a book: each run of sheets, the numbered front matter and the
footers), recorded beforehand by a capture run. The app's runs start from
an empty sheet cache.
So the ratio app/raw is what the application adds: queries, building the
sheets, templates, measuring the front matter once more, joining the runs'
PDFs with pypdf (bookmarks, contents links)."""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# DEBUG is off, as in production, so the development key is refused.
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CAPTURE = "/tmp/pdf_benchmark_capture.json"  # the HTML the app rendered, for the raw runs
BOOK_YEAR = 2563
SEED_CODE = "2100-1037"
CLONE_PREFIX = "9"  # clone codes: <agency code>-9NNNN, apart from real ones


def setup_django():
    import django

    django.setup()


def scale_up(count):
    """Make sure at least count indicators of FY 2563 exist, copying the seed."""
    from django.core.management import call_command
    from django.db import transaction

    from indicators.models import Agency, Indicator, QuarterResult
    from reports.models import Narrative

    if not Indicator.objects.filter(fiscal_year__year=BOOK_YEAR, code=SEED_CODE).exists():
        call_command("load_demo", quiet_logins=True)
    seed = Indicator.objects.get(fiscal_year__year=BOOK_YEAR, code=SEED_CODE)
    have = Indicator.objects.filter(fiscal_year=seed.fiscal_year).count()
    if have >= count:
        return
    agencies = list(Agency.objects.order_by("code"))
    results = list(seed.quarter_results.all())
    narratives = list(seed.narratives.all())
    nodes = list(seed.strategy_nodes.all())
    with transaction.atomic():
        clones = []
        for i in range(have, count):
            owner = agencies[i % len(agencies)]
            clone = Indicator.objects.get(pk=seed.pk)
            clone.pk = None
            clone.owner = owner
            clone.code = f"{owner.code}-{CLONE_PREFIX}{i:04d}"
            clone.name = f"{seed.name} (ชุดที่ {i})"
            clone.annual_target = Decimal(6 + i % 7)
            clones.append(clone)
        Indicator.objects.bulk_create(clones)
        clones = list(Indicator.objects.filter(code__in=[c.code for c in clones], fiscal_year=seed.fiscal_year))
        QuarterResult.objects.bulk_create(
            QuarterResult(
                indicator=clone,
                quarter=r.quarter,
                value=(r.value or 0) + clone.pk % 11,
                score_self=r.score_self,
                score_confirmed=r.score_confirmed,
                status=r.status,
            )
            for clone in clones
            for r in results
        )
        Narrative.objects.bulk_create(
            Narrative(indicator=clone, quarter=n.quarter, district_group=n.district_group, text=n.text)
            for clone in clones
            for n in narratives
        )
        through = Indicator.strategy_nodes.through
        through.objects.bulk_create(
            through(indicator_id=clone.pk, strategynode_id=node.pk) for clone in clones for node in nodes
        )


def manager():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="manager")


def book_filter():
    """Every copy shares the seed's strategy chain, so the book of its
    dimension holds every indicator of the year: exactly the scaled count."""
    from indicators.models import StrategyNode

    return {"year": BOOK_YEAR, "dimension": StrategyNode.objects.get(level=1).code}


def measure_app(kind, size):
    """The request path through the view, as a manager's browser makes it."""
    import tempfile

    from django.test import Client, override_settings

    from indicators.models import Indicator

    client = Client(HTTP_HOST="127.0.0.1")  # an allowed host, as a real request has
    client.force_login(manager())
    # An empty sheet cache: every sheet is laid out, as on a first print.
    with override_settings(PRINT_CACHE_DIR=tempfile.mkdtemp(prefix="pdf-bench-cache-"), TASKS=IMMEDIATE):
        start = time.perf_counter()
        if kind == "sheet":
            response = client.get(f"/indicators/{BOOK_YEAR}/{SEED_CODE}/sheet.pdf")
            content = response.content
        else:
            # The book's job, its tasks run one after the other in this process
            # (benchmarks/jobs_benchmark.py measures two workers sharing it).
            assert Indicator.objects.filter(fiscal_year__year=BOOK_YEAR).count() == size
            job = client.post("/reports/book/jobs/", book_filter())
            assert job.status_code == 302, job.status_code
            response = client.get(job["Location"] + "download/")
            content = b"".join(response.streaming_content)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed, content


def capture_html(kind, size):
    """The HTML documents the app hands to WeasyPrint for this case (a sheet:
    one; a book: its front matter and each run of sheets), recorded on their
    way through printing.lay_out."""
    from unittest import mock

    from reports import printing

    seen = []
    real = printing.lay_out

    def recording(html):
        seen.append(html)
        return real(html)

    with mock.patch.object(printing, "lay_out", recording):
        measure_app(kind, size)
    if kind == "book":
        # The front matter is laid out twice (measured, then numbered); count it once, as raw would.
        del seen[next(i for i, html in enumerate(seen) if '<section class="contents">' in html)]
    return seen


def measure_raw(documents):
    """Plain WeasyPrint on the same HTML: parse, lay out, write each."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    start = time.perf_counter()
    pdfs = [weasyprint.HTML(string=html, base_url=str(ROOT)).write_pdf(font_config=FontConfiguration())
            for html in documents]
    return time.perf_counter() - start, pdfs


def child(kind, size, mode):
    setup_django()
    # Warm up alike (imports, templates, fontconfig) with one untimed sheet,
    # so both modes are timed as a running server would serve them.
    import io

    import pypdf

    if mode == "app":
        measure_app("sheet", 1)
        seconds, pdf = measure_app(kind, size)
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
        length = len(pdf)
    elif mode == "capture":
        documents = {"warm_up": capture_html("sheet", 1), "case": capture_html(kind, size)}
        Path(CAPTURE).write_text(json.dumps(documents), encoding="utf-8")
        return
    else:
        documents = json.loads(Path(CAPTURE).read_text(encoding="utf-8"))
        measure_raw(documents["warm_up"])
        seconds, pdfs = measure_raw(documents["case"])
        pages = sum(len(pypdf.PdfReader(io.BytesIO(pdf)).pages) for pdf in pdfs)
        length = sum(len(pdf) for pdf in pdfs)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024, "bytes": length, "pages": pages}))


def run_child(kind, size, mode, expect_output=True):
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(size), mode],
        check=True, capture_output=True, text=True, env=os.environ.copy(),
    ).stdout
    return json.loads(out.strip().splitlines()[-1]) if expect_output else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 500], help="book sizes")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the sheet (best time, worst memory)")
    parser.add_argument("--book-repeat", type=int, default=1, help="runs of each book")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, size, mode = args.child
        child(kind, int(size), mode)
        return

    setup_django()
    from django.core.management import call_command

    from indicators.models import Indicator

    call_command("migrate", verbosity=0)
    sizes = sorted(args.sizes)
    if Indicator.objects.filter(fiscal_year__year=BOOK_YEAR).count() > (sizes[0] if sizes else 1):
        sys.exit("use an empty scratch database (DATABASE_URL): it holds more indicators than the smallest book")
    print(f"{'case':<10} {'mode':<4} {'best s':>8} {'peak MB':>8} {'PDF KB':>8} {'pages':>6}")
    rows = []
    # Books grow the data as they go: the book of n is every indicator of the year.
    for kind, size in [("sheet", 1)] + [("book", n) for n in sizes]:
        scale_up(size)
        figures = {}
        for mode in ("app", "raw"):
            repeat = args.repeat if kind == "sheet" else args.book_repeat
            if mode == "raw":
                run_child(kind, size, "capture", expect_output=False)
            runs = [run_child(kind, size, mode) for _ in range(repeat)]
            best = min(r["seconds"] for r in runs)
            peak = max(r["peak_mb"] for r in runs)
            figures[mode] = (best, peak)
            label = "sheet" if kind == "sheet" else f"book {size}"
            print(f"{label:<10} {mode:<4} {best:>8.2f} {peak:>8.0f} {runs[0]['bytes'] / 1024:>8.0f} {runs[0]['pages']:>6}",
                  flush=True)
        rows.append((kind, size, figures))
    print()
    for kind, size, figures in rows:
        ratio = figures["app"][0] / figures["raw"][0]
        label = "one sheet" if kind == "sheet" else f"book of {size}"
        print(f"{label}: app/raw time = {ratio:.2f}")


if __name__ == "__main__":
    main()
