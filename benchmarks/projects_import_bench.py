"""The workbook import of a year's projects at city scale (issue 23: 2,500
projects in ≤ 30 s), run outside the test suite:

    DATABASE_URL=sqlite:////tmp/projects_import_bench.sqlite3 .venv/bin/python benchmarks/projects_import_bench.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kpi_import .venv/bin/python benchmarks/projects_import_bench.py

Point it at a scratch database: it migrates it and deletes FY 2569's
projects. It makes --indicators indicators (default 500, demo.synthetic),
--projects projects (default 2,500) with four activities each (10,000),
each supporting two indicators and held in a district office, exports the
year, deletes its projects, and times the dry run, the import that creates
them all, and the import of the same file again (no change). Prints
seconds and SQL queries of each step."""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/projects_import_bench.sqlite3")

YEAR = 2569
ACTIVITIES = 4


def _make_projects(count):
    import datetime

    from indicators.models import Agency, FiscalYear, Indicator
    from projects.models import Milestone, Project

    fiscal_year = FiscalYear.objects.get(year=YEAR)
    agencies = list(Agency.objects.exclude(kind=Agency.Kind.DISTRICT_OFFICE).order_by("code"))
    districts = list(Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE).order_by("code"))
    indicators = list(Indicator.objects.filter(fiscal_year=fiscal_year).values_list("pk", flat=True))
    start = datetime.date(YEAR - 543 - 1, 10, 1)
    projects = Project.objects.bulk_create([
        Project(fiscal_year=fiscal_year, code=f"{7000 + n // 1000}-{n % 1000:04d}", name=f"โครงการทดสอบ {n}",
                owner=agencies[n % len(agencies)], responsible_name="ผู้รับผิดชอบ", responsible_phone="02 000 0000",
                rationale="หลักการและเหตุผล " * 20, objectives="วัตถุประสงค์", target_group="ประชาชน",
                planned_start=start, planned_finish=start + datetime.timedelta(days=364),
                budget_allocated=Decimal(100_000 + n), budget_source="งบประมาณกรุงเทพมหานคร")
        for n in range(count)], batch_size=500)
    projects = list(Project.objects.filter(fiscal_year=fiscal_year).order_by("code"))
    Milestone.objects.bulk_create([
        Milestone(project=project, order=order, name=f"กิจกรรม {order}", weight=Decimal(100 // ACTIVITIES),
                  planned_start=start + datetime.timedelta(days=90 * (order - 1)),
                  planned_finish=start + datetime.timedelta(days=90 * order - 1))
        for project in projects for order in range(1, ACTIVITIES + 1)], batch_size=1000)
    links = Project.indicators.through
    links.objects.bulk_create([
        links(project_id=project.pk, indicator_id=indicators[(n + k) % len(indicators)])
        for n, project in enumerate(projects) for k in (0, 1)], batch_size=1000)
    if districts:
        where = Project.districts.through
        where.objects.bulk_create([where(project_id=project.pk, agency_id=districts[n % len(districts)].pk)
                                   for n, project in enumerate(projects)], batch_size=1000)


def main(indicators, projects):
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from demo import synthetic
    from indicators.models import Indicator
    from projects.models import Project
    from yearsetup.workbook import service
    from yearsetup.workbook.export import export_workbook

    call_command("migrate", verbosity=0)
    Project.objects.filter(fiscal_year__year=YEAR + 1).update(continues_from=None)
    Project.objects.filter(fiscal_year__year=YEAR).delete()
    if Indicator.objects.filter(fiscal_year__year=YEAR).count() < indicators:
        Indicator.objects.filter(fiscal_year__year=YEAR).delete()
        synthetic.generate(indicators=indicators, years=1, last_year=YEAR, seed=YEAR, narratives=False,
                           log=lambda *a: None)
    _make_projects(projects)
    started = time.perf_counter()
    content = export_workbook(Indicator.objects.none(), projects=Project.objects.filter(fiscal_year__year=YEAR))
    export_seconds = time.perf_counter() - started
    Project.objects.filter(fiscal_year__year=YEAR).delete()

    def measured(apply):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            summary = service.run(content, file_name="projects.xlsx", user=AnonymousUser(), year=YEAR, apply=apply)
            seconds = time.perf_counter() - began
        assert summary["ok"], summary["problems"][:5]
        by_sheet = {c["sheet"]: c for c in summary["counts"]}
        return seconds, len(captured), by_sheet["โครงการ"], by_sheet["กิจกรรม"]

    rows = [("dry run, empty year", measured(False)), ("import, empty year (creates all)", measured(True)),
            ("import, same file again (no change)", measured(True))]
    print(f"{connection.vendor}, {projects} projects, {projects * ACTIVITIES} activities, "
          f"file {len(content) / 1e6:.1f} MB, export {export_seconds:.1f} s")
    print("| step | seconds | SQL queries | projects created / updated / unchanged | activities created / unchanged |")
    print("|---|---:|---:|---|---|")
    for name, (seconds, queries, project_counts, activity_counts) in rows:
        print(f"| {name} | {seconds:.1f} | {queries} | {project_counts['created']} / {project_counts['updated']} / "
              f"{project_counts['unchanged']} | {activity_counts['created']} / {activity_counts['unchanged']} |")


if __name__ == "__main__":
    def option(name, default):
        return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

    main(option("--indicators", 500), option("--projects", 2500))
