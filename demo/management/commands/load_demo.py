"""Loads the demo data from fixtures/: the seed indicator and what it hangs
on (demo*.json), then one user per role (demo_users.json).

With --city (what make run asks for) it also generates a demo city around
the seed, so every page shows what it is for: FY 2569 complete, its quarter
4 being evaluated (met, not met and pending mixed), and FY 2570 in progress
with quarter 1 at every stage of the workflow, over the departments and the
50 district offices (demo/synthetic.py, deterministic), and their projects
(demo/projects.py): the finished year's, and the running year's with its
open quarter at every stage and standing. Without --city only the seed
indicator's own project is added.

Only ever adds: a fixture file is loaded when none of its rows is in the
database yet, and only into a database that holds nothing but demo rows. A
second run (make run does one each start) changes nothing, so what someone
typed into the demo stays (projects are added only while there is none:
a demo loaded before projects existed gets them once). Existing users are
never changed: a demo user is created only when no user has its name. Anything else is refused before a
single row is written."""

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.utils import timezone

from demo import projects, synthetic
from indicators import data_sources, status_counts, stored_status, workflow
from indicators.models import Agency, AgencyApprover, FiscalYear, Indicator, QuarterResult
from indicators.permissions import ensure_role_groups

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# The demo city: (fiscal year, indicators, quarter being reported or None,
# share of quarter 4 already scored).
CITY_YEARS = [(2569, 300, None, 0.8), (2570, 200, 1, 0)]
FIVE_LEVEL_YEAR = 2569
USERS_FILE = "demo_users.json"
# The open year, with the agency's sign-off on, and how many of the demo
# approver's submitted quarters wait for it.
SIGNOFF_YEAR = 2570
SIGNOFF_WAITING = 4
KEEP_OPEN = ("5013-0001", "2100-2001")


@dataclass
class FixtureState:
    path: Path
    keys: dict  # model label -> set of primary keys in the file
    present: int  # of its rows, how many are in the database
    total: int


def fixture_states() -> list[FixtureState]:
    states = []
    for path in sorted(FIXTURES.glob("demo*.json")):
        if path.name == USERS_FILE:
            continue
        keys: dict[str, set] = {}
        for row in json.loads(path.read_text(encoding="utf-8")):
            keys.setdefault(row["model"], set()).add(row["pk"])
        present = sum(apps.get_model(label).objects.filter(pk__in=pks).count() for label, pks in keys.items())
        states.append(FixtureState(path, keys, present, sum(len(pks) for pks in keys.values())))
    return states


def foreign_rows(states: list[FixtureState]) -> Counter:
    """Rows of the demo's tables that no demo fixture holds, per model label."""
    demo_keys: dict[str, set] = {}
    for state in states:
        for label, pks in state.keys.items():
            demo_keys.setdefault(label, set()).update(pks)
    counts = Counter()
    for label, pks in demo_keys.items():
        other = apps.get_model(label).objects.exclude(pk__in=pks).count()
        if other:
            counts[label] = other
    return counts


def refusal(states: list[FixtureState]) -> str | None:
    """Why the demo may not be loaded here, or None."""
    details = [
        f"{s.present} of the {s.total} rows of {s.path.name} by their ids" for s in states if 0 < s.present < s.total
    ]
    if any(s.present == 0 for s in states):
        details += [f"{count} other {label} rows" for label, count in sorted(foreign_rows(states).items())]
    if details:
        return f"this database already holds data that is not the demo's ({'; '.join(details)})."
    return None


class Command(BaseCommand):
    help = "Load the demo data and demo users into an empty database; never changes existing rows or users."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")
        parser.add_argument("--city", action="store_true",
                            help="also generate a demo city of a few hundred indicators (make run)")

    @transaction.atomic
    def handle(self, *args, **options):
        states = fixture_states()
        reason = refusal(states)
        if reason:
            raise CommandError(
                f"load_demo refused: {reason} Nothing was changed. The demo loads only into an empty database "
                "(make run with the default SQLite file, or a new DATABASE_URL); production uses make serve, "
                "which never loads it."
            )
        users = json.loads((FIXTURES / USERS_FILE).read_text(encoding="utf-8"))
        to_load = [s for s in states if s.present == 0]
        if not to_load:
            # A demo loaded before there were projects gets them now, once.
            added = projects.add_projects(city_years=self._city_years() if options["city"] else None,
                                          log=self.stdout.write)
            self.stdout.write(f"Demo data already loaded; added the demo projects ({added}), there were none." if added
                              else "Demo data already loaded; nothing changed.")
            created = []
        else:
            for state in to_load:
                call_command("loaddata", str(state.path), verbosity=0)
            # Fixtures load past save(): the statuses and counts that are kept
            # from the indicators are stored now (stored_status, status_counts).
            stored_status.refresh(Indicator.objects.values_list("pk", flat=True), recount=False)
            data_sources.sync_items(Indicator.objects.values_list("pk", flat=True))  # the evidence checklists
            status_counts.rebuild_all()
            ensure_role_groups()
            created = [spec["username"] for spec in users if self._create_user(spec)]
            if options["city"]:
                self._generate_city()
            projects.add_projects(city_years=self._city_years() if options["city"] else None,
                                  log=self.stdout.write)
            self._agency_signoff()
        if not options["quiet_logins"]:
            self.stdout.write("Demo logins (username / password, as first loaded):")
            for spec in users:
                note = "" if spec["username"] in created or not to_load else "  (existing user, left unchanged)"
                self.stdout.write(f"  {spec['role']:<14} {spec['username']:<16} {spec['password']}{note}")

    def _generate_city(self) -> None:
        for year, count, reporting_quarter, evaluated_share in CITY_YEARS:
            synthetic.generate(indicators=count, years=1, last_year=year, seed=year,
                               reporting_quarter=reporting_quarter, evaluated_share=evaluated_share,
                               log=self.stdout.write)
        # The finished year is scored on the five-level criteria, the running
        # one in percent, so the scorecards show both schemes. Every demo
        # year is on the public site (/public/), like the fixtures' years.
        FiscalYear.objects.filter(year=FIVE_LEVEL_YEAR).update(scoring_scheme=FiscalYear.Scheme.FIVE_LEVEL,
                                                                published=True)

    def _agency_signoff(self) -> None:
        """The open year asks for the agency's sign-off (issue 24), and a few
        of the approver's submitted quarters wait for it at /approvals/."""
        year = FiscalYear.objects.filter(year=SIGNOFF_YEAR).first()
        if year is None:
            return
        year.agency_signoff = True
        year.save(update_fields=["agency_signoff"])
        approver = get_user_model().objects.filter(username="approver").first()
        # Submitted ones, and drafts with a result (as if just submitted);
        # the quarters the README sends reporters to stay open for entry.
        waiting = list(QuarterResult.objects.filter(
            indicator__fiscal_year=year, value__isnull=False, indicator__owner__approvers__user=approver,
            status__in=[QuarterResult.Status.SUBMITTED, QuarterResult.Status.DRAFT],
        ).exclude(indicator__code__in=KEEP_OPEN).order_by("-status", "indicator__owner_id", "pk")[:SIGNOFF_WAITING])
        for result in waiting:
            result.status = QuarterResult.Status.AWAITING_APPROVAL
            result.submitted_at = result.submitted_at or timezone.now()
            result.submitted_by = result.submitted_by or result.updated_by
            result.version += 1
            workflow.record_change(result, result.submitted_by or approver,
                                   "ส่งผลการดำเนินงาน รอผู้อนุมัติของหน่วยงานอนุมัติ")
            result.save()
        # The projects stay as demo/projects.py makes them (its tests compare a
        # second run with the first).
        self.stdout.write(f"Agency sign-off on in FY {SIGNOFF_YEAR}: {len(waiting)} quarters wait for the approver.")

    @staticmethod
    def _city_years() -> tuple[int, int, int]:
        """(the finished year, the running year, its open quarter) for the city's projects."""
        finished = next(year for year, _count, quarter, _share in CITY_YEARS if quarter is None)
        running, quarter = next((year, quarter) for year, _count, quarter, _share in CITY_YEARS if quarter)
        return finished, running, quarter

    def _create_user(self, spec: dict) -> bool:
        User = get_user_model()
        if User.objects.filter(username=spec["username"]).exists():
            return False
        user = User(
            username=spec["username"],
            first_name=spec.get("first_name", ""),
            last_name=spec.get("last_name", ""),
            is_staff=spec.get("is_staff", False),
            is_superuser=spec.get("is_superuser", False),
        )
        user.set_password(spec["password"])
        user.save()
        user.groups.set([Group.objects.get(name=spec["role"])])
        user.agencies.set(Agency.objects.filter(code__in=spec.get("agencies", [])))
        for agency in Agency.objects.filter(code__in=spec.get("approves", [])):
            AgencyApprover.objects.create(agency=agency, user=user)
        return True
