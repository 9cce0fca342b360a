"""The API's documentation page (Swagger UI served from the
drf-spectacular-sidecar package) and its schema view."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class DocsView(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    title = "City KPI API v1"


class SchemaView(SpectacularAPIView):
    pass
