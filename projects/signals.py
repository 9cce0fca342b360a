"""What happened to a project's quarterly update, for whoever listens
(notifications). Sent inside the transaction that saves the change, so a
listener's rows commit or roll back with it, as indicators/signals.py."""

from django.dispatch import Signal

# update (ProjectUpdate, just submitted), user (the reporter)
update_submitted = Signal()
# update (ProjectUpdate, saved), action ("accepted", "returned", "scored",
# "reopened"), user (the evaluator)
update_reviewed = Signal()
# Agency sign-off (signoff/), as indicators/signals.py: update (ProjectUpdate,
# waiting for its agency's approver), user (the reporter)
update_awaiting_approval = Signal()
# update, action ("approved" / "returned"), user (the approver)
update_signed_off = Signal()
