"""The audit log's URLs under /audit/ (namespace "audit")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_list, name="list"),
    path("export.xlsx", views.audit_export, name="export"),
]
audit_urls = (urlpatterns, "audit")
