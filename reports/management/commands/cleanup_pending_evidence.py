"""Run now and then (cron, or beside cleanup_print_jobs): deletes the
evidence files kept across refused report forms that nobody saved within
pending_evidence.KEEP_HOURS, with their stored files. Refused posts also
delete them as they come, so a site without the timer only keeps them
longer."""

from django.core.management.base import BaseCommand

from reports import pending_evidence


class Command(BaseCommand):
    help = "Delete pending evidence files (kept across a refused report form) older than their keeping time."

    def handle(self, *args, **options):
        deleted = pending_evidence.delete_expired()
        self.stdout.write(f"expired pending evidence files deleted: {deleted}")
