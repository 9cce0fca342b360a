"""The bell in the navigation: the signed-in user's unread count, looked up
only when a page shows it, and then mostly from the cache
(services.unread_count), so a page's query count stays fixed."""

from django.utils.functional import SimpleLazyObject

from . import services


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: services.unread_count(user))}
