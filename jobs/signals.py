"""What the jobs app tells the features that listen (notifications, the
print cache, the import uploads), so that it imports none of them."""

from django.dispatch import Signal

# A job ended, well or not (job_pk=...): its owner is told.
job_finished = Signal()
# cleanup_jobs is running (before=datetime): each feature deletes what it
# keeps for jobs (cached sheets, uploaded files) unused since then.
cleanup_due = Signal()
