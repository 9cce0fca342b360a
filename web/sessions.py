"""Sessions end after SESSION_COOKIE_AGE without a request (a working day).

Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every
request; here it is written when it was last written more than
REFRESH_SECONDS ago, so the idle limit holds within that margin and a page
view is not a database write.

A page with a form to fill (the report form) warns SESSION_WARNING_SECONDS
before its session ends and offers to extend it (static/js/session-warning.js):
`status` answers how long is left without moving the clock on, `extend` moves
it on. A save after the end is not lost either (web/kept_posts.py)."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

REFRESH_SECONDS = 300
KEY = "_refreshed_at"
# Set on a request that must not count as the user's activity.
UNTOUCHED = "_idle_clock_untouched"


@receiver(user_logged_in)
def _stamp_at_login(sender, request: HttpRequest, user, **kwargs) -> None:
    request.session[KEY] = int(time.time())


class IdleSessionMiddleware:
    """After SessionMiddleware: marks a signed-in session for saving (which
    moves its expiry SESSION_COOKIE_AGE ahead) once REFRESH_SECONDS have passed."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if getattr(request, UNTOUCHED, False):
            return response
        if session is not None and session.session_key:
            stamped = session.get(KEY)
            now = int(time.time())
            # No stamp: signed in before this code ran; it gets one now.
            if stamped is None or now - stamped >= REFRESH_SECONDS:
                session[KEY] = now
        return response


def seconds_left(request: HttpRequest, *, this_request_counts: bool = True) -> int:
    """Until the signed-in session ends for want of a request (at least: a
    write for another reason only moves the end later). By the stamp of the
    last refresh; `this_request_counts` when the request under way will
    refresh it (a page view, not a status check)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    now = int(time.time())
    stamped = request.session.get(KEY)
    if stamped is None or (this_request_counts and now - stamped >= REFRESH_SECONDS):
        return settings.SESSION_COOKIE_AGE
    return max(0, stamped + settings.SESSION_COOKIE_AGE - now)


@login_not_required
@never_cache
@require_GET
def status(request: HttpRequest) -> JsonResponse:
    """How long the session has left (0 once it ended); asking is not activity."""
    setattr(request, UNTOUCHED, True)
    return JsonResponse({"seconds_left": seconds_left(request, this_request_counts=False)})


@never_cache
@require_POST
def extend(request: HttpRequest) -> JsonResponse:
    """The person asked for more time: the clock starts again now."""
    request.session[KEY] = int(time.time())
    return JsonResponse({"seconds_left": settings.SESSION_COOKIE_AGE})
