from django import template
from django.utils.safestring import mark_safe
from django.urls import translate_url
from django.utils.translation import get_language
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
    """The date in the page's language: Buddhist Era in Thai, Gregorian in English."""
    return text.thai_date(value, get_language())


@register.filter
def fiscal_year(value):
    """A fiscal year as the page's language names it: 2569, or 2026 (BE 2569)."""
    return text.fiscal_year_label(value, get_language())


@register.simple_tag(takes_context=True)
def language_url(context, language):
    """This page in another language: /en/... for English, the unprefixed
    URL for Thai (query string kept)."""
    request = context.get("request")
    if request is None:
        return "/" if language == "th" else f"/{language}/"
    return translate_url(request.get_full_path(), language)


@register.filter
def narrative(value):
    return mark_safe(text.narrative_html(value or ""))
