"""Where signing in lands. A bare visit to the site's address (the list at
`/` without a query) is not a choice of page: signing in from it lands on
the person's own start page (evaluation.views.review.after_login: the
dashboard for managers, the review queue for evaluators), not on the list.
Any other page, the list with filters included, is returned to as before."""

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import resolve_url

from web.kept_posts import LoginRequiredMiddleware as KeepingPostsLoginRequired


class LoginRequiredMiddleware(KeepingPostsLoginRequired):
    """kept_posts' (a signed-out post kept across the sign-in), landing a bare visit on the start page."""

    def handle_no_permission(self, request, view_func):
        match = request.resolver_match
        if match is not None and match.url_name == "home" and not request.GET:
            return redirect_to_login("", resolve_url(self.get_login_url(view_func)), redirect_field_name="")
        return super().handle_no_permission(request, view_func)
