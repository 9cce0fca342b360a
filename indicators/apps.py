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
        from . import stored_status  # noqa: F401  (connects its signal handlers)
