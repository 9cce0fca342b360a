from django.urls import path

from . import views_browse

app_name = "browse"

urlpatterns = [
    path("reports/quarterly/", views_browse.quarterly, name="quarterly"),
    path("reports/quarterly/export.<str:fmt>", views_browse.quarterly_export, name="quarterly_export"),
    path("reports/dashboard/", views_browse.dashboard, name="dashboard"),
    path("indicators/export.<str:fmt>", views_browse.list_export, name="list_export"),
]
