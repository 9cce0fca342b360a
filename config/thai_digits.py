"""Thai digits (๐–๙) as a display setting for Thai pages: a switch in the
user menu keeps the choice in a cookie (per browser, like the language
itself), and this middleware writes the digits of a Thai HTML page's text
in Thai. Only text between tags changes: links, form values, scripts and
the text being edited in a textarea keep their digits, so every number
still parses and every URL still works. English pages are never touched."""

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from indicators.text import to_thai_digits

COOKIE = "thai_digits"
COOKIE_MAX_AGE = 365 * 24 * 3600
# A tag, a comment, or the whole content of an element whose text must stay
# as it is (scripts, styles, the text in an editable textarea).
_KEEP = re.compile(
    r"<(script|style|textarea)\b.*?</\1\s*>|<!--.*?-->|<[^>]*>", re.DOTALL | re.IGNORECASE
)


def wants_thai_digits(request: HttpRequest) -> bool:
    return request.COOKIES.get(COOKIE) == "1"


def thai_digits_html(html: str) -> str:
    """The page with the digits of its text (not of its markup) in Thai."""
    out, last = [], 0
    for kept in _KEEP.finditer(html):
        out.append(to_thai_digits(html[last:kept.start()]))
        out.append(kept.group(0))
        last = kept.end()
    out.append(to_thai_digits(html[last:]))
    return "".join(out)


class ThaiDigitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            wants_thai_digits(request)
            and get_language() == "th"
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            charset = response.charset or settings.DEFAULT_CHARSET
            response.content = thai_digits_html(response.content.decode(charset)).encode(charset)
            if response.has_header("Content-Length"):  # set by CommonMiddleware before this
                response["Content-Length"] = str(len(response.content))
        return response


@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    """Turns Thai digits on or off for this browser and returns to the page."""
    back = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    response = HttpResponseRedirect(back)
    if request.POST.get("on") == "1":
        response.set_cookie(COOKIE, "1", max_age=COOKIE_MAX_AGE, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE, httponly=True)
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
    return response
