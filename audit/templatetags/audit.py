from django import template

from .. import log

register = template.Library()


@register.filter
def can_view_audit(user):
    """The navigation's link to the audit log: administrators and evaluators."""
    return log.may_read(user)
