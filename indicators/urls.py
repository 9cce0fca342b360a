"""The indicators app's URLs, one named list per feature. Each is a
(patterns, namespace) pair for include(); the namespaces are the ones the
templates reverse ("review:score", "scorecards:index", ...); the
indicator's page ("indicators:detail") is in reports/urls.py."""

from django.urls import path

from .views import review, scorecard

QUARTER = "<int:year>/<code:code>/<int:quarter>/"

review_urls = ([
    path("", review.queue, name="queue"),
    path("start/", review.after_login, name="after-login"),
    path(QUARTER, review.review, name="quarter"),
    # One URL per action, named after it: review:accept, review:score, ...
    *[
        path(f"{QUARTER}{action}/", review.act, {"action": action}, name=action)
        for action in review.ACTIONS
    ],
], "review")

scorecard_urls = ([
    path("", scorecard.index, name="index"),
    path("<int:year>/", scorecard.ranking, name="ranking"),
    path("<int:year>/<str:agency>/", scorecard.scorecard, name="scorecard"),
], "scorecards")
