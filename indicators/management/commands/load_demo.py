"""Loads the demo data from fixtures/: the seed indicator and what it hangs
on (demo*.json), then one user per role (demo_users.json). Safe to run again:
fixtures carry fixed keys and users are updated in place."""

import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, call_command
from django.db import transaction

from indicators.models import Agency
from indicators.permissions import ensure_role_groups

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load the demo data and demo users (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="do not print the demo logins")

    @transaction.atomic
    def handle(self, *args, **options):
        for fixture in sorted(FIXTURES.glob("demo*.json")):
            if fixture.name == "demo_users.json":
                continue
            call_command("loaddata", str(fixture), verbosity=0)
        ensure_role_groups()
        users = json.loads((FIXTURES / "demo_users.json").read_text(encoding="utf-8"))
        User = get_user_model()
        for spec in users:
            user, _ = User.objects.get_or_create(username=spec["username"])
            user.first_name = spec.get("first_name", "")
            user.last_name = spec.get("last_name", "")
            user.is_staff = spec.get("is_staff", False)
            user.is_superuser = spec.get("is_superuser", False)
            user.set_password(spec["password"])
            user.save()
            user.groups.set([Group.objects.get(name=spec["role"])])
            user.agencies.set(Agency.objects.filter(code__in=spec.get("agencies", [])))
        if not options["quiet_logins"]:
            self.stdout.write("Demo logins (username / password):")
            for spec in users:
                self.stdout.write(f"  {spec['role']:<14} {spec['username']:<16} {spec['password']}")
