"""What happened to a quarter, for whoever listens (notifications). Sent
inside the transaction that saves the change, so a listener's rows commit or
roll back with it; mail goes out on commit."""

from django.dispatch import Signal

# result (QuarterResult, saved), action ("accepted", "scored", "returned",
# "reopened"), user (the evaluator)
quarter_reviewed = Signal()
# result (QuarterResult, just submitted), user (the reporter)
quarter_submitted = Signal()
