"""DRF's exception handler without its rollback: every API view is read-only
and runs outside a transaction (api/urls.py), so there is nothing to roll
back, and marking an enclosing transaction (a test's) as failed would break
the queries after it. Every 404 has the same body, {"detail": "ไม่พบ"}
(DRF's "Not found." in Thai), whatever was not found or hidden."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response


def handler(exc, context):
    if isinstance(exc, Http404):
        # One body for every 404: get_object_or_404's message names the
        # model, and no answer may differ between "missing" and "hidden".
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = "%d" % exc.wait
    data = exc.detail if isinstance(exc.detail, (list, dict)) else {"detail": exc.detail}
    return Response(data, status=exc.status_code, headers=headers)
