from django import template
from django.urls import translate_url
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .. import formats, text

register = template.Library()


@register.filter
def thai_digits(value):
    return text.to_thai_digits(value)


@register.filter
def quantity(value, places=0):
    """A result or achieved value with the indicator's decimal places."""
    return formats.quantity(value, places)


@register.filter
def target(value, places=0):
    """A target, milestone or criterion: its own decimals or the indicator's,
    whichever are more (0.5 stays 0.5 where results are whole)."""
    return formats.target(value, places)


@register.filter
def target_places(items, places=0):
    """{% with p=sheet.quarters|target_places:ind.decimal_places %}: the
    decimals targets shown together share (rows' .target, or plain numbers
    such as ind.criteria); then {{ row.target|quantity:p }}."""
    return formats.shared_places((getattr(item, "target", item) for item in items), places)


@register.filter
def with_unit(value, unit):
    """{{ x|quantity:p|with_unit:ind.unit }}: the number and its unit in Thai
    order ("2 กิโลเมตร", "ร้อยละ 60.51")."""
    return formats.with_unit(str(value), unit)


@register.filter
def percent(value):
    """A percentage with two decimals, or "รอการประเมิน" when absent."""
    if value is None:
        return _("รอการประเมิน")
    return formats.percent(value)


@register.filter
def score(value):
    """A score with two decimals, or "รอการประเมิน" when not evaluated (never shown as 0)."""
    if value is None:
        return _("รอการประเมิน")
    return formats.score(value)


@register.filter
def weight(value):
    """An indicator's weight, two decimals (none set reads 0.00)."""
    return formats.weight(value or 0)


@register.filter
def level(value):
    """A five-level score or a weighted total with its four decimals, or "รอการประเมิน"."""
    if value is None:
        return _("รอการประเมิน")
    return formats.level(value)


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
