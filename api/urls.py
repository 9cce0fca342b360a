"""The API's URLs (namespace "api", under /api/v1/) and the tokens page's
(under /accounts/). Every API view opts out of the site's sign-in
requirement: an anonymous client gets the public data."""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.urls import path, re_path

from . import docs, project_views, tokens, views


def api_view(view_class, **initkwargs):
    """A read-only API view: no sign-in page (a token, or anonymous) and no
    transaction (reads only)."""
    return login_not_required(transaction.non_atomic_requests(view_class.as_view(**initkwargs)))


api_urls = ([
    path("", api_view(views.Root), name="root"),
    path("fiscal-years/", api_view(views.FiscalYearList), name="fiscal-years"),
    path("indicators/", api_view(views.IndicatorList), name="indicator-list"),
    path("indicators/<int:year>/<code:code>/", api_view(views.IndicatorDetail), name="indicator-detail"),
    path("projects/", api_view(project_views.ProjectList), name="project-list"),
    path("projects/<int:year>/<str:code>/", api_view(project_views.ProjectDetail), name="project-detail"),
    # Anything else under projects/, a newline included (which <path:rest> below does not match): the JSON 404.
    re_path(r"^projects/(?P<rest>(?s:.+))\Z", login_not_required(views.not_found), name="not-found"),
    path("quarter-results/", api_view(views.QuarterResultList), name="quarter-results"),
    path("strategy/", api_view(views.StrategyList), name="strategy"),
    path("agencies/", api_view(views.AgencyList), name="agencies"),
    path("scorecards/<int:year>/", api_view(views.Ranking), name="ranking"),
    path("scorecards/<int:year>/<str:agency>/", api_view(views.Scorecard), name="scorecard"),
    path("schema/", api_view(docs.SchemaView), name="schema"),
    path("docs/", api_view(docs.DocsView, url_name="api:schema"), name="docs"),
    # Last: any other URL under /api/v1/ is the API's JSON 404 (not in the schema).
    path("<path:rest>", login_not_required(views.not_found), name="not-found"),
], "api")

token_urls = [
    path("api-tokens/", tokens.token_list, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.revoke, name="api_token_revoke"),
]
