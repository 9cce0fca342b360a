"""Sessions end after SESSION_COOKIE_AGE without a request (a working day).

Django's SESSION_SAVE_EVERY_REQUEST would write the session row on every
request; here it is written when it was last written more than
REFRESH_SECONDS ago, so the idle limit holds within that margin and a page
view is not a database write."""

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 300
KEY = "_refreshed_at"


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
        if session is not None and session.session_key:
            stamped = session.get(KEY)
            now = int(time.time())
            # No stamp: signed in before this code ran; it gets one now.
            if stamped is None or now - stamped >= REFRESH_SECONDS:
                session[KEY] = now
        return response
