"""python manage.py export_indicators --year 2570 OUT.xlsx

A fiscal year's indicators and projects, with the strategy plan, agencies
and district groups, in the workbook format that import_indicators reads."""

from pathlib import Path

from django.core.management import BaseCommand, CommandError

from indicators.models import FiscalYear, Indicator
from projects.models import Project
from yearsetup.workbook.export import export_workbook


class Command(BaseCommand):
    help = "Export a fiscal year's indicators as the import workbook (XLSX)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="fiscal year (B.E.), e.g. 2570")
        parser.add_argument("out", help="the .xlsx file to write")

    def handle(self, *args, year, out, **options):
        if not FiscalYear.objects.filter(year=year).exists():
            raise CommandError(f"ไม่พบปีงบประมาณ {year}")
        content = export_workbook(Indicator.objects.filter(fiscal_year__year=year),
                                  projects=Project.objects.filter(fiscal_year__year=year))
        Path(out).write_bytes(content)
        count = Indicator.objects.filter(fiscal_year__year=year).count()
        self.stdout.write(f"ส่งออกตัวชี้วัด {count} ตัวชี้วัด ของปีงบประมาณ {year} ไปที่ {out}")
