"""The workbook import at city scale, run outside the test suite:

    DATABASE_URL=sqlite:////tmp/import_bench.sqlite3 .venv/bin/python benchmarks/import_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_import .venv/bin/python benchmarks/import_bench.py

It migrates the database DATABASE_URL names and fills it with made-up data
(point it at a scratch database: it deletes the benchmark year's
indicators). It generates --indicators indicators (default 2,500) of FY
2569 with milestones and strategy links, exports the year, deletes the
year's indicators, and then measures, each step in a fresh process (so the
peak memory is the step's own): the dry run of the whole file, the import
that creates everything, the dry run and import of the same file again (no
change), and an import where every annual target changed. Prints seconds,
peak memory (max RSS) and the SQL queries of each step."""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")

YEAR = 2569


def _setup():
    import django

    django.setup()


def step(kind, path):
    """One measured step in this process; prints its figures as JSON."""
    import resource

    _setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.workbook import service

    content = Path(path).read_bytes()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        summary = service.run(content, file_name=Path(path).name, user=AnonymousUser(), apply=kind == "apply",
                              allow_scored_target_change=True)
        seconds = time.perf_counter() - started
    indicators = next(c for c in summary["counts"] if c["sheet"] == "ตัวชี้วัด")
    print(json.dumps({
        "seconds": round(seconds, 2), "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "queries": len(captured), "ok": summary["ok"], "problems": summary["problem_count"],
        "created": indicators["created"], "updated": indicators["updated"], "unchanged": indicators["unchanged"],
    }))


def _run_step(kind, path):
    output = subprocess.run([sys.executable, __file__, "--step", kind, str(path)], check=True,
                            capture_output=True, text=True, env=os.environ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _edit_targets(content):
    """Every annual target + 1, as a person editing the file would."""
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(content))
    ws = wb["ตัวชี้วัด"]
    column = next(cell.column for cell in ws[1] if cell.value == "ค่าเป้าหมาย")
    for (cell,) in ws.iter_rows(min_row=2, min_col=column, max_col=column):
        if isinstance(cell.value, int | float):
            cell.value = cell.value + 1
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(indicators):
    _setup()
    from django.core.management import call_command

    from indicators import synthetic
    from indicators.models import Indicator
    from indicators.workbook.export import export_workbook

    call_command("migrate", verbosity=0)
    Indicator.objects.filter(fiscal_year__year=YEAR).delete()
    synthetic.generate(indicators=indicators, years=1, last_year=YEAR, seed=YEAR, narratives=False,
                       log=lambda *a: None)
    started = time.perf_counter()
    content = export_workbook(Indicator.objects.filter(fiscal_year__year=YEAR))
    export_seconds = time.perf_counter() - started
    Indicator.objects.filter(fiscal_year__year=YEAR).delete()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"indicators-{YEAR}.xlsx"
        path.write_bytes(content)
        edited = Path(tmp) / f"indicators-{YEAR}-edited.xlsx"
        edited.write_bytes(_edit_targets(content))
        rows = [
            ("dry run, empty year", _run_step("dry", path)),
            ("import, empty year (creates all)", _run_step("apply", path)),
            ("dry run, same file again", _run_step("dry", path)),
            ("import, same file again (no change)", _run_step("apply", path)),
            ("import, every annual target changed", _run_step("apply", edited)),
        ]
    from django.db import connection

    print(f"{connection.vendor}, {indicators} indicators, file {len(content) / 1e6:.1f} MB, "
          f"export {export_seconds:.1f} s")
    print("| step | seconds | peak MB | SQL queries | created / updated / unchanged |")
    print("|---|---:|---:|---:|---|")
    for name, r in rows:
        assert r["ok"], r
        print(f"| {name} | {r['seconds']} | {r['peak_mb']} | {r['queries']} | "
              f"{r['created']} / {r['updated']} / {r['unchanged']} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--step":
        step(sys.argv[2], sys.argv[3])
    else:
        count = int(sys.argv[sys.argv.index("--indicators") + 1]) if "--indicators" in sys.argv else 2500
        main(count)
