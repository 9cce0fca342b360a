"""The public site's URLs (namespace "public"), under /public/."""

from django.urls import path

from . import project_views, views

public_urls = ([
    path("", views.home, name="home"),
    path("data/", views.data_dictionary, name="data"),
    path("<int:year>/", views.year_overview, name="year"),
    path("<int:year>/indicators/", views.indicator_list, name="list"),
    path("<int:year>/indicators/<code:code>/", views.indicator_detail, name="indicator"),
    path("<int:year>/data.<str:fmt>", views.year_data, name="year_data"),
    # Projects (issue 23): accepted updates only (public/projects.py).
    path("<int:year>/projects/", project_views.project_list, name="projects"),
    path("<int:year>/projects/<str:code>/", project_views.project_detail, name="project"),
], "public")
