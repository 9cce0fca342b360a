"""Compare every indicator's stored statuses (stored_status.py) with what the
rules say of its results, and the status counts (status_counts.py) with a
fresh count of those statuses; list the differences and, with --repair,
store the rules' answer and count again. Exits 1 when differences remain."""

from django.core.management.base import BaseCommand, CommandError

from indicators import status_counts, stored_status
from indicators.models import FiscalYear, Indicator


class Command(BaseCommand):
    help = ("Check the stored indicator statuses against the rules (rules.py) and the status counts against "
            "the statuses; --repair fixes differences.")

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="store the rules' values where they differ")
        parser.add_argument("--year", type=int, help="only this fiscal year (B.E.)")

    def handle(self, *args, repair, year, **options):
        indicators = Indicator.objects.all()
        years = FiscalYear.objects.all()
        if year is not None:
            indicators = indicators.filter(fiscal_year__year=year)
            years = years.filter(year=year)
        found = stored_status.differences(indicators)
        for indicator, stored, wanted in found[:50]:
            self.stdout.write(f"{indicator.pk}: stored {stored} ≠ rules {wanted}")
        if len(found) > 50:
            self.stdout.write(f"… and {len(found) - 50} more")
        if found and repair:
            repaired = stored_status.refresh((indicator.pk for indicator, _s, _w in found), recount=False)
            self.stdout.write(self.style.SUCCESS(f"repaired {repaired} indicators"))
        # Counted after any repair above, which changes what is counted.
        miscounted = status_counts.differences(years.values_list("pk", flat=True))
        for year_number in FiscalYear.objects.filter(pk__in=miscounted).values_list("year", flat=True):
            self.stdout.write(f"fiscal year {year_number}: status counts differ from the stored statuses")
        if miscounted and repair:
            status_counts.rebuild_years(miscounted)
            self.stdout.write(self.style.SUCCESS(f"counted {len(miscounted)} fiscal years again"))
        if not found and not miscounted:
            self.stdout.write(self.style.SUCCESS(
                f"{indicators.count()} indicators: stored statuses agree with the rules, counts with the statuses"))
            return
        if not repair:
            raise CommandError(f"{len(found)} indicators differ, {len(miscounted)} fiscal years miscounted "
                               "(run with --repair to fix)")
