from django.apps import AppConfig


class WebConfig(AppConfig):
    """What every page's plumbing shares (sessions, kept posts, error pages,
    health, request ids, the release): the bottom layer, importing none of
    the project's other apps. An app so its signal receivers and template
    tags are found at start."""

    name = "web"

    def ready(self) -> None:
        from . import sessions  # noqa: F401  (connects the login stamp)
