"""A form post bigger than DATA_UPLOAD_MAX_MEMORY_SIZE (say, megabytes of
pasted text) makes Django refuse to read it. Left alone that surfaces as a
bare English "Bad Request (400)"; here it becomes a Thai page in the site's
layout that says nothing was saved and what the limits are."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.shortcuts import render

from indicators.text import format_number


class OversizedPostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                _ = request.POST  # parsed once here; views read the same parse
            except (RequestDataTooBig, TooManyFieldsSent):
                return too_large(request)
        return self.get_response(request)


def too_large(request):
    context = {
        "text_limit": format_number(settings.LONG_TEXT_MAX_LENGTH),
        "post_limit_mb": format_number(max(1, round(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)))),
    }
    return render(request, "413.html", context, status=413)
