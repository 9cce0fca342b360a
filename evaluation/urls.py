"""The evaluation app's URLs, one named list per feature, each a (patterns,
namespace) pair for include(): the review ("review:queue", "review:score",
...) under /review/ and the scorecards ("scorecards:ranking", ...) under
/scorecards/."""

from django.urls import path

from .views import project_review, review, scorecard

QUARTER = "<int:year>/<code:code>/<int:quarter>/"
PROJECT_QUARTER = f"projects/{QUARTER}"

review_urls = ([
    path("", review.queue, name="queue"),
    path("start/", review.after_login, name="after-login"),
    path(QUARTER, review.review, name="quarter"),
    # One URL per action, named after it: review:accept, review:score, ...
    *[
        path(f"{QUARTER}{action}/", review.act, {"action": action}, name=action)
        for action in review.ACTIONS
    ],
    # A project's quarterly update: review:project, review:project_accept, ...
    path(PROJECT_QUARTER, project_review.review, name="project"),
    *[
        path(f"{PROJECT_QUARTER}{action}/", project_review.act, {"action": action}, name=f"project_{action}")
        for action in project_review.ACTIONS
    ],
], "review")

scorecard_urls = ([
    path("", scorecard.index, name="index"),
    path("<int:year>/", scorecard.ranking, name="ranking"),
    # Once printing:scorecard and browse:ranking_export (reports' namespaces),
    # at the same addresses.
    path("<int:year>/ranking.<str:fmt>", scorecard.ranking_export, name="ranking_export"),
    path("<int:year>/<str:agency>/", scorecard.scorecard, name="scorecard"),
    path("<int:year>/<str:agency>/scorecard.pdf", scorecard.scorecard_pdf, name="pdf"),
], "scorecards")
