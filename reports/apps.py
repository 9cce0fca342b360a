from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("รายงานผล")

    def ready(self):
        from . import sheet_cache  # noqa: F401  (connects its signal handlers: what the indicator's page shows changed)
