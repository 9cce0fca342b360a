from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .. import text

register = template.Library()


@register.filter
def thai_digits(value):
    return text.to_thai_digits(value)


@register.filter
def quantity(value, places=0):
    """Quantity with the indicator's decimal places."""
    return text.format_number(value, places)


@register.filter
def percent(value):
    """A percentage with two decimals, or "รอการประเมิน" when absent."""
    if value is None:
        return _("รอการประเมิน")
    return text.format_number(value, 2)


@register.filter
def score(value):
    """A score, or "รอการประเมิน" when not evaluated (never shown as 0)."""
    if value is None:
        return _("รอการประเมิน")
    return text.format_score(value)


@register.filter
def level(value):
    """A five-level score with its four decimals, or "รอการประเมิน"."""
    if value is None:
        return _("รอการประเมิน")
    return text.format_number(value, 4)


@register.filter
def thai_date(value):
    return text.thai_date(value)


@register.filter
def narrative(value):
    return mark_safe(text.narrative_html(value or ""))
