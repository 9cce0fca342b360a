"""The agency approver's pages under /approvals/ (namespace "signoff")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="queue"),
    path("indicators/<int:year>/<code:code>/quarters/<int:quarter>/", views.result_page, name="result"),
    path("projects/<int:year>/<code:code>/quarters/<int:quarter>/", views.update_page, name="update"),
    path("stand-ins/", views.stand_ins, name="stand_ins"),
]
signoff_urls = (urlpatterns, "signoff")
