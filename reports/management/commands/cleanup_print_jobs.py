"""Run every few minutes (cron or a systemd timer): fails or requeues print
jobs whose worker died, deletes finished jobs older than
PRINT_JOB_KEEP_DAYS with their files, and cached sheets unused as long."""

from django.core.management.base import BaseCommand

from reports import jobs


class Command(BaseCommand):
    help = "Recover print jobs whose worker died; delete expired jobs, their files and unused cached sheets."

    def handle(self, *args, **options):
        stuck = jobs.recover_stuck()
        deleted = jobs.delete_expired()
        self.stdout.write(f"stuck jobs recovered or failed: {len(stuck)}; expired jobs deleted: {deleted}")
