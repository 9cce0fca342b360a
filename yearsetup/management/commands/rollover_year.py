"""python manage.py rollover_year 2569 [--blank-targets] [--no-projects]

Starts fiscal year 2570 from 2569 (yearsetup/rollover.py): the same
indicators without results or narratives, the four quarters with the
default reporting windows. Running it again adds only what is missing."""

from django.contrib.auth.models import AnonymousUser
from django.core.management import BaseCommand, CommandError

from yearsetup.rollover import RolloverRefused, rollover


class Command(BaseCommand):
    help = "Start fiscal year N+1 from N: indicators copied without results; quarters with default windows."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int, help="the fiscal year (B.E.) to start the next one from")
        parser.add_argument("--blank-targets", action="store_true", help="leave the new year's targets empty")
        parser.add_argument("--no-projects", action="store_true", help="do not carry the year's projects")

    def handle(self, *args, year, blank_targets, no_projects, **options):
        try:
            rolled = rollover(source=year, user=AnonymousUser(), carry_targets=not blank_targets,
                              carry_projects=not no_projects)
        except RolloverRefused as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(
            f"ปีงบประมาณ {rolled.year}: สร้างตัวชี้วัด {rolled.created} ตัวชี้วัด "
            f"(มีอยู่แล้ว {rolled.already_there}), สร้างไตรมาส {rolled.quarters_created} ไตรมาส, "
            f"ยกโครงการมา {rolled.projects_created} โครงการ (มีอยู่แล้ว {rolled.projects_already_there})"
        )
