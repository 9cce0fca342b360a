from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api.urls import api_urls, token_urls
from audit.urls import audit_urls
from config import thai_digits
from conversations.urls import conversation_urls
from evaluation.urls import review_urls, scorecard_urls
from indicators.views.browse import indicator_list
from jobs.urls import job_urls
from notifications.urls import notification_urls
from projects.urls import project_urls
from public.urls import public_urls
from reports.urls import browse_urls, entry_urls, indicator_urls, printing_urls, progress_urls
from signoff.urls import signoff_urls
from web import sessions
from web.health import healthz
from yearsetup.urls import workbook_urls

handler500 = "web.errors.server_error"

# Django's own views for signing in and for passwords; Thai templates in
# templates/registration/.
account_urls = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("session/", sessions.status, name="session_status"),
    path("session/extend/", sessions.extend, name="session_extend"),
]

# The JSON API answers in data, not in a language: outside the /en/ prefix.
urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(api_urls)),
]

# Thai at the URLs every page always had; English under /en/ (the language
# switch in the navigation links between the two).
urlpatterns += i18n_patterns(
    path("", indicator_list, name="home"),
    path("accounts/", include(account_urls)),
    path("accounts/", include(token_urls)),
    # Open to everyone: the public site and open data.
    path("public/", include(public_urls)),
    path("", include(printing_urls)),
    path("", include(job_urls)),
    path("admin/", admin.site.urls),
    path("review/", include(review_urls)),
    path("approvals/", include(signoff_urls)),
    path("scorecards/", include(scorecard_urls)),
    path("", include(workbook_urls)),
    path("", include(indicator_urls)),
    path("", include(entry_urls)),
    path("", include(browse_urls)),
    path("", include(progress_urls)),
    path("notifications/", include(notification_urls)),
    path("projects/", include(project_urls)),
    path("audit/", include(audit_urls)),
    path("conversations/", include(conversation_urls)),
    path("display/thai-digits/", thai_digits.switch, name="thai_digits"),
    prefix_default_language=False,
)
