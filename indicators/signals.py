"""What happened to a quarter, for whoever listens (notifications). Sent
inside the transaction that saves the change, so a listener's rows commit or
roll back with it; mail goes out on commit."""

from django.dispatch import Signal

# result (QuarterResult, saved), action ("accepted", "scored", "returned",
# "reopened"), user (the evaluator)
quarter_reviewed = Signal()
# result (QuarterResult, just submitted), user (the reporter)
quarter_submitted = Signal()


def keep_approver_role(sender, instance, **kwargs):
    """The approver role (permissions.APPROVER) follows the AgencyApprover
    and ApproverStandIn rows: given with the first, taken with the last."""
    from django.contrib.auth.models import Group

    from .models import AgencyApprover, ApproverStandIn
    from .permissions import APPROVER

    user = instance.user if isinstance(instance, AgencyApprover) else instance.stand_in
    group, _created = Group.objects.get_or_create(name=APPROVER)
    if AgencyApprover.objects.filter(user=user).exists() or ApproverStandIn.objects.filter(stand_in=user).exists():
        user.groups.add(group)
    else:
        user.groups.remove(group)
    for name in [name for name in vars(user) if name.startswith("_kpi_")]:
        delattr(user, name)  # the user's cached roles and agencies


# Agency sign-off (signoff/): result (QuarterResult, just submitted and now
# waiting for its agency's approver), user (the reporter)
quarter_awaiting_approval = Signal()
# result (QuarterResult, signed off), action ("approved": on to the
# evaluators; "returned": back to the reporters), user (the approver)
quarter_signed_off = Signal()
