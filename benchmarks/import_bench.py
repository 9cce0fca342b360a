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
change), an import where every annual target changed, and a staff sheet of
--staff new users (default 2,000, each e-mailed a password link to a dummy
backend). Prints seconds,
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
# The new users' mails are made and sent, to nowhere.
os.environ.setdefault("EMAIL_URL", "dummymail://")

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

    from yearsetup.workbook import service

    content = Path(path).read_bytes()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        summary = service.run(content, file_name=Path(path).name, user=AnonymousUser(), apply=kind == "apply",
                              allow_scored_target_change=True)
        seconds = time.perf_counter() - started
    # The sheet the step is about: the one with the most rows.
    indicators = max(summary["counts"], key=lambda c: c["created"] + c["updated"] + c["unchanged"])
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


def _staff_workbook(count):
    import io

    from openpyxl import Workbook

    from indicators.models import Agency
    from yearsetup.workbook import columns as spec

    codes = list(Agency.objects.values_list("code", flat=True))
    wb = Workbook()
    ws = wb.active
    ws.title = str(spec.STAFF.title)
    ws.append([str(c.header) for c in spec.STAFF.columns])
    for n in range(count):
        ws.append([f"bench.staff{n:05d}", "เจ้าหน้าที่", f"ทดสอบ {n}", f"staff{n}@example.go.th",
                   "เจ้าหน้าที่หน่วยงาน", codes[n % len(codes)]])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(indicators, staff):
    _setup()
    from django.core.management import call_command

    from demo import synthetic
    from indicators.models import Indicator
    from yearsetup.workbook.export import export_workbook

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith="bench.staff").delete()
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
        people = Path(tmp) / "staff.xlsx"
        people.write_bytes(_staff_workbook(staff))
        rows = [
            ("dry run, empty year", _run_step("dry", path)),
            ("import, empty year (creates all)", _run_step("apply", path)),
            ("dry run, same file again", _run_step("dry", path)),
            ("import, same file again (no change)", _run_step("apply", path)),
            ("import, every annual target changed", _run_step("apply", edited)),
            (f"staff sheet, {staff} new users: dry run", _run_step("dry", people)),
            (f"staff sheet, {staff} new users: import", _run_step("apply", people)),
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
        def option(name, default):
            return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

        main(option("--indicators", 2500), option("--staff", 2000))
