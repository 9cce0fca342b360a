"""Run every few minutes (cron or a systemd timer): fails or requeues jobs
whose worker died, deletes finished jobs older than PRINT_JOB_KEEP_DAYS
with their files, lets each feature delete what it keeps for jobs
(cached sheets, uploads) unused as long, and prunes the task queue's rows
of finished tasks as old."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs import services


class Command(BaseCommand):
    help = "Recover jobs whose worker died; delete expired jobs, their files and what features keep for them."

    def handle(self, *args, **options):
        stuck = services.recover_stuck()
        deleted = services.delete_expired()
        if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
            call_command("prune_db_task_results", min_age_days=settings.PRINT_JOB_KEEP_DAYS,
                         failed_min_age_days=settings.PRINT_JOB_KEEP_DAYS, verbosity=0)
        self.stdout.write(f"stuck jobs recovered or failed: {len(stuck)}; expired jobs deleted: {deleted}")
