"""The API's one way to sign in: a personal token (api.models.ApiToken) in
the Authorization header, `Bearer <token>` (or `Token <token>`). Without a
header the client is anonymous and gets the public data; a header with a
token that is unknown, revoked or expired, or whose owner is inactive, is
refused with 401 rather than served as anonymous."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import TOUCH_INTERVAL, ApiToken, digest_of

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("รูปแบบ Authorization ไม่ถูกต้อง ใช้ Bearer ตามด้วยโทเค็น"))
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("โทเค็นไม่ถูกต้อง")) from None
        token = ApiToken.objects.select_related("user").filter(digest=digest_of(raw)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("โทเค็นไม่ถูกต้อง"))
        if token.revoked:
            raise exceptions.AuthenticationFailed(_("โทเค็นนี้ถูกเพิกถอนแล้ว"))
        if token.expired:
            raise exceptions.AuthenticationFailed(_("โทเค็นนี้หมดอายุแล้ว"))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
