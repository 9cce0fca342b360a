"""Links in a mail's text: only those to this site (SITE_URL) become links,
so a reminder's project forms are one click away while a URL typed into a
comment stays plain, escaped text (a mail never links elsewhere)."""

import re

from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def site_links(text: str) -> SafeString:
    """The text escaped, each SITE_URL/… address in it as a link."""
    text = str(text)
    site = settings.SITE_URL.rstrip("/")
    if not site:
        return escape(text)
    parts, last = [], 0
    for match in re.finditer(re.escape(site) + r"/[^\s<>\"']*", text):
        parts += [escape(text[last:match.start()]), format_html('<a href="{}">{}</a>', match[0], match[0])]
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308  (every part escaped above)
