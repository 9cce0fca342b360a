"""The pages for a request that fails. An unhandled exception: 503 while
the database cannot be reached, 500 otherwise, rendered without the request
context (its context processors query the database), so it works when the
database does not. A post refused by the CSRF check (CSRF_FAILURE_VIEW):
the page expired or cookies are off, said as such, never "no permission"."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

from . import kept_posts

DATABASE_DOWN = (OperationalError, InterfaceError)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # Called by Django's handler while the exception is being handled.
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_DOWN):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "60"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Nothing was saved. The way back keeps the browser's copy of the form
    (history.back(), static/js/app.js); and when a signed-in user's post to a
    form that keeps posts was refused (say, a sign-in in another tab renewed
    the token), its fields are kept and offered in a fresh form."""
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "back_url": _back_url(request)}
    if request.method == "POST" and _typed_by_this_user(request) and kept_posts.keeps_post(request.path_info):
        context["restore_url"] = kept_posts.restore_url(request, kept_posts.keep(request))
    return render(request, "403_csrf.html", context, status=403)


def _typed_by_this_user(request: HttpRequest) -> bool:
    # Only a signed-in user's own form: a post from another site carries
    # no session cookie (SameSite), and no one else's mark.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return constant_time_compare(request.POST.get(kept_posts.AUTHOR_FIELD, ""), kept_posts.author_mark(user))


def _back_url(request: HttpRequest) -> str:
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return referer
    return reverse("home")
