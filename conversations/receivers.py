"""A project update the evaluator returns starts a thread with the return's
comment (projects/review.py announces it inside its transaction; projects
sits below this app, so it cannot call start_from_return itself)."""

from django.dispatch import receiver

from projects import signals
from projects.models import ProjectUpdate

from . import services


@receiver(signals.update_reviewed, sender=ProjectUpdate, dispatch_uid="conversations_project_returned")
def project_returned(sender, update, action, user, **kwargs):
    if action == "returned":
        services.start_from_return(update, user, update.reviewer_comment)
