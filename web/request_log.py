"""A request id and the request's method, path and user id on every log line
written while a request is handled (and the id in the X-Request-ID response
header, so a user's report can be matched to the log). The client address
used by login throttling lives here too: it reads the same proxy headers."""

import contextvars
import logging
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.functional import empty
from django.utils.log import log_response

_current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar("request", default=None)


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.id = uuid.uuid4().hex[:12]
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django logs 4xx/5xx answers after the last middleware has
                # returned, outside this request's context; logged here, the
                # line carries the request id (and Django does not log it twice).
                log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        finally:
            _current_request.reset(token)
        response["X-Request-ID"] = request.id
        return response


def _user_id(request: HttpRequest) -> str:
    # Only a user already loaded: a log line must not query the database
    # (which may be the very thing that failed).
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return "-"
    return str(user.pk) if user.is_authenticated else "anonymous"


class RequestContextFilter(logging.Filter):
    """Adds request_id, method, path and user_id to every record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        record.request_id = getattr(request, "id", "-")
        record.method = request.method if request else "-"
        record.path = request.path if request else "-"
        record.user_id = _user_id(request) if request else "-"
        return True


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or with PROXY_COUNT trusted proxies in
    front, the address the outermost of them saw (X-Forwarded-For entries
    before it were written by the client and prove nothing)."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")
