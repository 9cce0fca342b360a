from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("รายงานผล")

    def ready(self):
        from indicators import sheet_cache

        # A narrative or evidence change shows on the indicator's page.
        sheet_cache.connect_report_models()
