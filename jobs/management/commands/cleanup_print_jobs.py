"""The name cleanup_jobs had while jobs were print jobs: kept so that cron
entries written then go on working."""

from .cleanup_jobs import Command as CleanupJobs


class Command(CleanupJobs):
    help = "Old name of cleanup_jobs."
