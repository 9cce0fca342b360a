"""The public site's URLs (namespace "public"), under /public/."""

from django.urls import path

from . import views

public_urls = ([
    path("", views.home, name="home"),
    path("data/", views.data_dictionary, name="data"),
    path("<int:year>/", views.year_overview, name="year"),
    path("<int:year>/indicators/", views.indicator_list, name="list"),
    path("<int:year>/indicators/<code:code>/", views.indicator_detail, name="indicator"),
    path("<int:year>/data.<str:fmt>", views.year_data, name="year_data"),
], "public")
