"""Time `send_reminders` for a city: 2,500 indicators, 2,000 reporters.

Run from the project root:  .venv/bin/python benchmarks/reminders_bench.py
(set DATABASE_URL for PostgreSQL). Builds a throwaway test database with
synthetic.generate (FY 2570, quarter 2 at every stage of the workflow),
adds reporters with e-mail addresses (one in ten works for two agencies),
and runs the reminders seven days before quarter 2 closes, with Django's
locmem mail backend (mails are built, rendered and kept in memory; an SMTP
server's own time is not in the figures). Prints the time, the reminders
and mails sent, and the SQL queries: in total and per batch (the run at two
batch sizes shows the per-batch count is fixed)."""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core import mail  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from demo import synthetic  # noqa: E402
from indicators.models import Agency, Quarter  # noqa: E402
from notifications import reminders  # noqa: E402
from notifications.models import Notification, SentReminder  # noqa: E402


def make_reporters(count):
    User = get_user_model()
    agencies = list(Agency.objects.order_by("pk"))
    users = User.objects.bulk_create([
        User(username=f"bench-reporter-{n}", email=f"bench-reporter-{n}@example.go.th", first_name="ผู้รายงาน")
        for n in range(count)
    ])
    group = Group.objects.get_or_create(name="reporter")[0]
    User.groups.through.objects.bulk_create([User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
    through = Agency.members.through
    links = [through(agency_id=agencies[n % len(agencies)].pk, user_id=u.pk) for n, u in enumerate(users)]
    links += [through(agency_id=agencies[(n + 7) % len(agencies)].pk, user_id=u.pk)
              for n, u in enumerate(users) if n % 10 == 0]
    through.objects.bulk_create(links)


def run(today, batch_size, dry_run=False):
    mail.outbox = []
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        planned = reminders.plan(today)
        plan_queries = len(ctx.captured_queries)
        outcome = reminders.send(planned, dry_run=dry_run, batch_size=batch_size)
        seconds = time.perf_counter() - started
    batches = -(-len(planned) // batch_size)
    send_queries = len(ctx.captured_queries) - plan_queries
    return seconds, len(planned), len(outcome.sent), len(mail.outbox), plan_queries, send_queries, batches


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--indicators", type=int, default=2500)
    parser.add_argument("--users", type=int, default=2000)
    args = parser.parse_args()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        synthetic.generate(indicators=args.indicators, years=1, last_year=2570, narratives=False,
                           reporting_quarter=2, log=lambda *a: None)
        make_reporters(args.users)
        quarter = Quarter.objects.get(fiscal_year__year=2570, number=2)
        today = quarter.closes_on - datetime.timedelta(days=7)
        print(f"database: {connection.vendor}; {args.indicators} indicators, {args.users} reporters, "
              f"{Agency.objects.count()} agencies; mail backend: locmem")
        print(f"{'run':<28} {'seconds':>8} {'planned':>8} {'sent':>6} {'mails':>6} "
              f"{'plan q':>7} {'send q':>7} {'batches':>8} {'q/batch':>8}")
        for label, batch_size, dry_run, reset in [
            ("dry run (batches of 500)", 500, True, False),
            ("send (batches of 500)", 500, False, False),
            ("again: all sent before", 500, False, False),
            ("send (batches of 250)", 250, False, True),
        ]:
            if reset:
                SentReminder.objects.all().delete()
                Notification.objects.all().delete()
            seconds, planned, sent, mails, plan_q, send_q, batches = run(today, batch_size, dry_run)
            per_batch = f"{send_q / batches:.1f}" if batches else "-"
            print(f"{label:<28} {seconds:>8.2f} {planned:>8} {sent:>6} {mails:>6} "
                  f"{plan_q:>7} {send_q:>7} {batches:>8} {per_batch:>8}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
