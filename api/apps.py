from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("API และโทเค็น")

    def ready(self) -> None:
        from . import schema  # noqa: F401  (documents the token authentication in the OpenAPI schema)
