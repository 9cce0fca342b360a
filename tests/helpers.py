"""Helpers shared by the test modules (fixtures live in pytest_fixtures.py)."""

import html
import re

from django.http import HttpResponse
from django.utils.html import strip_tags


def page_text(page: HttpResponse | str) -> str:
    """What a person reads on a page (a response or its HTML): tags
    stripped, entities turned back into characters, whitespace collapsed."""
    markup = page if isinstance(page, str) else page.content.decode()
    return html.unescape(re.sub(r"\s+", " ", strip_tags(markup)))


def codes(response):
    """Indicator codes listed on the page, in order."""
    html = response.content.decode()
    body = html[html.index("<tbody>"):html.index("</tbody>")] if "<tbody>" in html else ""
    return re.findall(r'<td class="text-nowrap"><a href="[^"]+">([^<]+)</a>', body)
