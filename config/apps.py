from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The project package as an app, so its signal receivers are connected at start."""

    name = "config"
    label = "site_config"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the login stamp)
