"""{% session_warning %}: the box that warns a signed-in person before their
session ends, with a button to extend it (static/js/session-warning.js;
web/sessions.py answers it). For pages where work is typed."""

from django import template
from django.conf import settings
from django.urls import reverse

from web import sessions

register = template.Library()


@register.inclusion_tag("_session_warning.html", takes_context=True)
def session_warning(context: template.Context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"shown": False}
    return {
        "shown": True,
        "seconds_left": sessions.seconds_left(request),
        "warn_before": min(settings.SESSION_WARNING_SECONDS, settings.SESSION_COOKIE_AGE),
        "status_url": reverse("session_status"),
        "extend_url": reverse("session_extend"),
    }
