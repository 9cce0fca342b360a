from django.urls import path

from . import views_entry

app_name = "entry"

urlpatterns = [
    path("my-indicators/", views_entry.my_indicators, name="my_indicators"),
    path(
        "indicators/<int:year>/<code:code>/quarters/<int:quarter>/report/",
        views_entry.quarter_report,
        name="report",
    ),
    path("indicators/<int:year>/<code:code>/history/", views_entry.history, name="history"),
    path("evidence/<int:pk>/", views_entry.evidence_download, name="evidence"),
]
