from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators import views_browse as indicator_list_views

urlpatterns = [
    path("", indicator_list_views.indicator_list, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("reports.urls_print")),
    path("admin/", admin.site.urls),
    path("review/", include("indicators.urls_review")),
    path("", include("indicators.urls")),
    path("", include("reports.urls_entry")),
    path("", include("reports.urls_browse")),
]
