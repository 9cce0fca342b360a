"""Records every change of a user's groups (roles) as a RoleChange, from
either side of the relation (user.groups.add(...) or group.user_set.add(...))."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from .models import RoleChange


def _actor():
    """The signed-in user of the current request, as simple-history's
    middleware keeps it; None outside a request (commands, the worker)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def _record(pairs, action):
    actor = _actor()
    RoleChange.objects.bulk_create([
        RoleChange(actor=actor, user=user, username=user.get_username(), role=group.name, action=action)
        for user, group in pairs
    ])


@receiver(m2m_changed, sender=get_user_model().groups.through, dispatch_uid="audit.role_changes")
def role_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action == "pre_clear":
        # After the clear the removed rows are gone: read them first.
        if reverse:
            pairs = [(user, instance) for user in instance.user_set.all()]
        else:
            pairs = [(instance, group) for group in instance.groups.all()]
        _record(pairs, RoleChange.Action.REMOVED)
        return
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    kind = RoleChange.Action.ADDED if action == "post_add" else RoleChange.Action.REMOVED
    others = list(model.objects.filter(pk__in=pk_set))
    if reverse:  # instance is a group, the others users
        pairs = [(user, instance) for user in others]
    else:
        pairs = [(instance, group) for group in others if isinstance(group, Group)]
    _record(pairs, kind)
