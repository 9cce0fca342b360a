from django import template

from indicators import permissions

register = template.Library()


@register.filter
def is_approver(user) -> bool:
    """Signs off some agency today (the navigation's link to /approvals/)."""
    return permissions.is_approver(user)
