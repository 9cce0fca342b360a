"""Background jobs' URLs under /jobs/ (namespace "jobs"), and their old
addresses under /reports/jobs/ redirecting there: links in notices and
bookmarks made before the move keep working."""

from django.urls import path

from . import views

urlpatterns = [
    path("jobs/", views.job_list, name="list"),
    path("jobs/<int:pk>/", views.job_detail, name="detail"),
    path("jobs/<int:pk>/status.json", views.job_status, name="status"),
    path("jobs/<int:pk>/download/", views.job_download, name="download"),
    path("jobs/<int:pk>/retry/", views.job_retry, name="retry"),
    path("reports/jobs/", views.moved("jobs:list")),
    path("reports/jobs/<int:pk>/", views.moved("jobs:detail")),
    path("reports/jobs/<int:pk>/status.json", views.moved("jobs:status")),
    path("reports/jobs/<int:pk>/download/", views.moved("jobs:download")),
    path("reports/jobs/<int:pk>/retry/", views.moved("jobs:retry")),
]
job_urls = (urlpatterns, "jobs")
