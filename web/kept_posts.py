"""A form post that arrives after the session ended is not lost.

Left to LoginRequiredMiddleware such a post is answered with a redirect to
the sign-in page, and what was typed is gone. For a view marked
@keeps_post_across_sign_in the middleware below first keeps the post's
fields (never its files: only their names, so the form can say which to
choose again) in the new anonymous session under a random token, and sends
the person to sign in with next=<the form>?restore=<token>. Signing in keeps
the anonymous session's data (django.contrib.auth.login cycles the key), so
the form's view can give back what was typed, unsaved, once restored() has
checked on the server that the person now signed in is the one who typed
it: the form carries author_mark(user), a keyed hash of the user's id, and
it must equal the signed-in user's. Nothing is saved until the person
presses save again.

The same keeping serves a post refused by the CSRF check of a signed-in
user (a sign-in in another tab renews the form's token): web/errors.py."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import resolve_url
from django.urls import Resolver404, resolve
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext as _

SESSION_KEY = "kept_posts"
# The hidden field of a form whose post is kept: who typed it.
AUTHOR_FIELD = "kept_post_author"
RESTORE_PARAMETER = "restore"
# Kept posts per session; a newer one for the same form replaces the older.
KEPT_AT_MOST = 3
NOT_KEPT = ("csrfmiddlewaretoken",)


def keeps_post_across_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a form view whose post is kept when it arrives signed out."""
    view.keeps_post_across_sign_in = True  # type: ignore[attr-defined]
    return view


def keeps_post(path: str) -> bool:
    try:
        view = resolve(path).func
    except Resolver404:
        return False
    return getattr(view, "keeps_post_across_sign_in", False)


def author_mark(user: Any) -> str:
    """What the form carries to say who typed it; reveals nothing of the user."""
    # The salt keeps its first name (the module was config/kept_posts.py):
    # a post kept across a release still matches its author.
    return salted_hmac("config.kept_posts.author", str(user.pk)).hexdigest()


class NotRestored(Exception):
    """A restore link whose post cannot be given back; the message says why."""


@dataclass
class KeptPost:
    data: QueryDict
    file_names: list[str]


def keep(request: HttpRequest) -> str:
    """Keeps the request's post in its session; returns the token."""
    kept = {token: entry for token, entry in _kept(request).items() if entry["path"] != request.path}
    token = secrets.token_urlsafe(16)
    kept[token] = {
        "path": request.path,
        "fields": {name: request.POST.getlist(name) for name in request.POST if name not in NOT_KEPT},
        "files": [upload.name for name in request.FILES for upload in request.FILES.getlist(name) if upload.name],
        "at": int(time.time()),
    }
    for oldest in sorted(kept, key=lambda t: kept[t]["at"])[:-KEPT_AT_MOST]:
        del kept[oldest]
    request.session[SESSION_KEY] = kept
    return token


def restore_url(request: HttpRequest, token: str) -> str:
    return f"{request.path}?{urlencode({RESTORE_PARAMETER: token})}"


def restored(request: HttpRequest) -> KeptPost | None:
    """The post kept for this page and this signed-in user, if the URL asks
    for one (None when it does not). A post typed by someone else is
    dropped unseen; NotRestored says what happened."""
    token = request.GET.get(RESTORE_PARAMETER)
    if not token:
        return None
    kept = _kept(request)
    entry = kept.get(token)
    if entry is None or entry["path"] != request.path:
        raise NotRestored(_("ไม่พบข้อมูลที่พิมพ์ค้างไว้ (อาจบันทึกไปแล้วหรือหมดอายุ) แบบฟอร์มแสดงข้อมูลที่บันทึกไว้ล่าสุด"))
    author = (entry["fields"].get(AUTHOR_FIELD) or [""])[0]
    if not constant_time_compare(author, author_mark(request.user)):
        del kept[token]
        request.session[SESSION_KEY] = kept
        raise NotRestored(_("ข้อมูลที่พิมพ์ค้างไว้ในเบราว์เซอร์นี้ไม่ได้พิมพ์จากบัญชีของท่าน จึงไม่นำมาแสดงและลบทิ้งแล้ว "
                            "แบบฟอร์มแสดงข้อมูลที่บันทึกไว้ล่าสุด"))
    data = QueryDict(mutable=True)
    for name, values in entry["fields"].items():
        data.setlist(name, values)
    return KeptPost(data=data, file_names=list(entry["files"]))


def discard(request: HttpRequest) -> None:
    """After a save: the posts kept for this page are no longer needed."""
    kept = _kept(request)
    left = {token: entry for token, entry in kept.items() if entry["path"] != request.path}
    if len(left) != len(kept):
        request.session[SESSION_KEY] = left


def _kept(request: HttpRequest) -> dict[str, dict[str, Any]]:
    """This session's kept posts, those older than a session may be idle left out."""
    oldest = int(time.time()) - settings.SESSION_COOKIE_AGE
    return {token: entry for token, entry in request.session.get(SESSION_KEY, {}).items() if entry["at"] >= oldest}


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's, keeping the post of a marked view before the redirect."""

    def handle_no_permission(self, request: HttpRequest, view_func: Callable[..., Any]) -> HttpResponse:
        if request.method != "POST" or not getattr(view_func, "keeps_post_across_sign_in", False):
            return super().handle_no_permission(request, view_func)
        token = keep(request)
        messages.warning(request, _("หมดเวลาการเข้าสู่ระบบ จึงยังไม่ได้บันทึก ระบบเก็บข้อมูลที่พิมพ์ไว้ให้ชั่วคราว "
                                    "เข้าสู่ระบบอีกครั้งแล้วจะกลับไปยังแบบฟอร์มพร้อมข้อมูลนั้นเพื่อตรวจสอบและบันทึก"))
        return redirect_to_login(restore_url(request, token), resolve_url(self.get_login_url(view_func)),
                                 self.get_redirect_field_name(view_func))
