"""What the projects app tells the apps above it (notifications, the review
queue) without importing them: they connect to these in their ready()."""

from django.dispatch import Signal

# A reporter submitted a project's quarter update for review.
# Sent with sender=ProjectUpdate, update=<ProjectUpdate>, user=<User>.
update_submitted = Signal()
