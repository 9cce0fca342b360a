from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators.urls import indicator_urls, review_urls
from indicators.views.browse import indicator_list
from reports.urls import browse_urls, entry_urls, printing_urls

urlpatterns = [
    path("", indicator_list, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include(printing_urls)),
    path("admin/", admin.site.urls),
    path("review/", include(review_urls)),
    path("", include(indicator_urls)),
    path("", include(entry_urls)),
    path("", include(browse_urls)),
]
