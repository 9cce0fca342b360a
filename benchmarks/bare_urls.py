"""The application's URLs and /__bare__/: a view that only returns the bytes
of a saved detail page (BARE_PAGE_FILE), behind the same middleware (session,
sign-in, CSRF, CSP, logging), as the yardstick for the detail page."""

import os
from functools import cache

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@cache
def _page() -> bytes:
    with open(os.environ["BARE_PAGE_FILE"], "rb") as handle:
        return handle.read()


@transaction.non_atomic_requests
def bare(request):
    return HttpResponse(_page(), content_type="text/html; charset=utf-8")


urlpatterns = [path("__bare__/", bare), *app_urlpatterns]
