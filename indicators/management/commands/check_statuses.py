"""Compare every indicator's stored statuses (stored_status.py) with what the
rules say of its results, list the differences and, with --repair, store the
rules' answer. Exits 1 when differences remain."""

from django.core.management.base import BaseCommand, CommandError

from indicators import stored_status
from indicators.models import Indicator


class Command(BaseCommand):
    help = "Check the stored indicator statuses against the rules (rules.py); --repair fixes differences."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="store the rules' values where they differ")
        parser.add_argument("--year", type=int, help="only this fiscal year (B.E.)")

    def handle(self, *args, repair, year, **options):
        indicators = Indicator.objects.all()
        if year is not None:
            indicators = indicators.filter(fiscal_year__year=year)
        found = stored_status.differences(indicators)
        for indicator, stored, wanted in found[:50]:
            self.stdout.write(f"{indicator.pk}: stored {stored} ≠ rules {wanted}")
        if len(found) > 50:
            self.stdout.write(f"… and {len(found) - 50} more")
        if not found:
            self.stdout.write(self.style.SUCCESS(f"{indicators.count()} indicators: stored statuses agree with the rules"))
            return
        if not repair:
            raise CommandError(f"{len(found)} indicators differ (run with --repair to fix)")
        repaired = stored_status.refresh(indicator.pk for indicator, _s, _w in found)
        self.stdout.write(self.style.SUCCESS(f"repaired {repaired} indicators"))
