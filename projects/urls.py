"""The projects' URLs under /projects/ (namespace "projects"), one block per
feature."""

from django.urls import path  # noqa: F401  (each block below adds its paths)

from .views import browse, detail, edit, entry, printing  # noqa: F401

urlpatterns = [
    # --- the list and the project's page -----------------------------------
    path("", browse.project_list, name="list"),
    path("<int:year>/<code:code>/", detail.detail, name="detail"),
    path("<int:year>/<code:code>/edit/", edit.edit, name="edit"),


    # --- the quarterly update and its files --------------------------------
    path("<int:year>/<code:code>/quarters/<int:quarter>/update/", entry.update_form, name="update"),
    path("<int:year>/<code:code>/history/", entry.history, name="history"),
    path("evidence/<int:pk>/", entry.evidence_download, name="evidence"),


    # --- the printed sheet and books ---------------------------------------


]
project_urls = (urlpatterns, "projects")
