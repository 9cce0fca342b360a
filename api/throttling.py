"""Rate limits of the API, per client address for anonymous clients and per
user for tokens (DRF's throttles, counted in the configured cache). The
rates are read from the settings at each request (API_ANON_RATE,
API_TOKEN_RATE), e.g. "60/minute"."""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        return settings.API_ANON_RATE


class TokenThrottle(UserRateThrottle):
    def get_rate(self):
        return settings.API_TOKEN_RATE
