from django.apps import AppConfig
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("ตัวชี้วัด")

    def ready(self):
        from .codes import IndicatorCodeConverter

        # Before any urls.py is imported: `<code:code>` in the routes.
        register_converter(IndicatorCodeConverter, "code")
        from django.db.models.signals import post_delete, post_save

        from . import signals, stored_status  # noqa: F401  (stored_status connects its signal handlers)
        from .models import AgencyApprover, ApproverStandIn

        for model in (AgencyApprover, ApproverStandIn):
            for signal in (post_save, post_delete):
                signal.connect(signals.keep_approver_role, sender=model,
                               dispatch_uid=f"approver-role-{model.__name__}-{signal is post_save}")
