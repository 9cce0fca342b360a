"""python manage.py import_indicators FILE [--year Y] [--dry-run]

Reads the workbook (strategy plan, district groups, agencies, indicators,
staff), shows what would be created, updated and left alone and every
problem by sheet, row and column, and writes it all or nothing. Exits
non-zero when the file has problems."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import BaseCommand, CommandError

from yearsetup.workbook import columns, service


class Command(BaseCommand):
    help = "Import the plan, agencies, indicators and staff from the workbook (XLSX); --dry-run writes nothing."
    sheets = columns.SHEETS

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx workbook")
        parser.add_argument("--year", type=int, help="fiscal year (B.E.) to import into; else the file's")
        parser.add_argument("--dry-run", action="store_true", help="check and count only, write nothing")
        parser.add_argument("--allow-scored-target-change", action="store_true",
                            help="allow target changes of indicators whose quarter 4 is scored")
        parser.add_argument("--user", help="username recorded in the history (default: none, 'ระบบ')")
        parser.add_argument("--base-url", default=getattr(settings, "SITE_URL", "http://127.0.0.1:8000"),
                            help="address of the site, for the new users' password links")

    def handle(self, *args, file, year, dry_run, allow_scored_target_change, user, base_url, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"ไม่พบไฟล์ {file}")
        actor = get_user_model().objects.filter(username=user).first() if user else AnonymousUser()
        if actor is None:
            raise CommandError(f"ไม่พบผู้ใช้ {user}")
        try:
            outcome = service.run(path.read_bytes(), file_name=path.name, user=actor, year=year, apply=not dry_run,
                                  allow_scored_target_change=allow_scored_target_change, base_url=base_url,
                                  sheets=self.sheets)
        except service.WorkbookRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(service.as_text(outcome))
        for username, link in outcome.get("links", []):
            self.stdout.write(f"{username}: {link}")
        if not outcome["ok"]:
            raise CommandError(f"พบข้อผิดพลาด {outcome['problem_count']} รายการ ระบบไม่ได้บันทึกข้อมูลใด ๆ")
