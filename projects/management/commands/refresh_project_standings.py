"""Store today's figures of the current fiscal year's projects not yet
refreshed today (projects/standing.py): the plan's expected progress moves
with the calendar, so a project can fall behind without anybody writing to
it. Run once a day, after midnight; the project list would otherwise make
the day's first pass itself, in its first visitor's request."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from projects import standing
from projects.models import Project


class Command(BaseCommand):
    help = "Store today's progress, spending and standing of the current fiscal year's projects (daily)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="this fiscal year (B.E.) instead of the current one")

    def handle(self, *args, year, **options):
        day = timezone.localdate()
        year = year or standing.fiscal_year_of(day)
        refreshed = standing.refresh_stale(Project.objects.filter(fiscal_year__year=year), day)
        self.stdout.write(f"fiscal year {year}: {refreshed} projects refreshed for {day:%Y-%m-%d}")
