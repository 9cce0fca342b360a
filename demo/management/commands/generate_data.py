"""python manage.py generate_data --indicators N --years Y

Synthetic data at city scale for trying and measuring (demo/synthetic.py).
Adds to what is there (the demo data included); codes already taken in a
year are skipped, so running it twice adds more rather than failing."""

import time

from django.core.management import BaseCommand, CommandError
from django.db import connection

from demo import synthetic


class Command(BaseCommand):
    help = "Generate realistic synthetic indicators, quarterly results, scores and narratives."

    def add_arguments(self, parser):
        parser.add_argument("--indicators", type=int, default=2500, help="indicators in all (default 2500)")
        parser.add_argument("--years", type=int, default=1, help="fiscal years, ending with --last-year")
        parser.add_argument("--last-year", type=int, default=2569, help="latest fiscal year (B.E.), default 2569")
        parser.add_argument("--seed", type=int, default=2569, help="random seed (same seed, same data)")
        parser.add_argument("--no-narratives", action="store_true", help="skip the narrative texts")
        parser.add_argument("--reporting-quarter", type=int, choices=[1, 2, 3, 4],
                            help="the latest year is in progress: this quarter at every stage, later ones empty")

    def handle(self, *args, indicators, years, last_year, seed, no_narratives, reporting_quarter=None, **options):
        if indicators < 1 or years < 1:
            raise CommandError("--indicators and --years must be at least 1")
        if not (2400 <= last_year - years + 1 and last_year <= 2700):
            raise CommandError("--last-year is a Buddhist Era year, e.g. 2569")
        started = time.monotonic()
        created = synthetic.generate(
            indicators=indicators, years=years, last_year=last_year, seed=seed,
            narratives=not no_narratives, log=self.stdout.write, reporting_quarter=reporting_quarter,
        )
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses from an empty table.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"สร้างตัวชี้วัด {created} ตัวชี้วัด ใน {time.monotonic() - started:.1f} วินาที")
