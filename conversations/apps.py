from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "conversations"
    verbose_name = _("การสนทนา")

    def ready(self):
        # A project update the evaluator returns starts a thread (projects sits
        # below this app, so it tells us through its signal).
        from . import receivers  # noqa: F401
