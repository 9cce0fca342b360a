from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("การแจ้งเตือน")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from indicators import signals
        from jobs import signals as job_signals
        from projects import signals as project_signals

        from . import events, services

        signals.quarter_reviewed.connect(events.quarter_reviewed, dispatch_uid="notifications.quarter_reviewed")
        signals.quarter_submitted.connect(events.quarter_submitted, dispatch_uid="notifications.quarter_submitted")
        project_signals.update_reviewed.connect(events.update_reviewed,
                                                dispatch_uid="notifications.update_reviewed")
        project_signals.update_submitted.connect(events.update_submitted,
                                                 dispatch_uid="notifications.update_submitted")
        job_signals.job_finished.connect(events.job_finished, dispatch_uid="notifications.job_finished")
        # The bell's count is ready before the first page after signing in.
        user_logged_in.connect(services.prime_unread, dispatch_uid="notifications.prime_unread")
