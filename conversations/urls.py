from django.urls import path

from . import views

app_name = "conversations"

conversation_urls = (
    [
        path("indicators/<int:year>/<code:code>/<int:quarter>/", views.indicator_page, name="indicator"),
        path("indicators/<int:year>/<code:code>/<int:quarter>/start/", views.start_indicator,
             name="start_indicator"),
        path("projects/<int:year>/<code:code>/<int:quarter>/", views.project_page, name="project"),
        path("projects/<int:year>/<code:code>/<int:quarter>/start/", views.start_project, name="start_project"),
        path("threads/<int:thread_id>/post/", views.post, name="post"),
        path("threads/<int:thread_id>/resolve/", views.resolve, name="resolve"),
        path("threads/<int:thread_id>/reopen/", views.reopen, name="reopen"),
        path("messages/<int:message_id>/edit/", views.edit, name="edit"),
        path("messages/<int:message_id>/history/", views.history, name="history"),
    ],
    "conversations",
)
