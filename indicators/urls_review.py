from django.urls import path

from . import views_review

app_name = "review"

QUARTER = "<int:year>/<code:code>/<int:quarter>/"

urlpatterns = [
    path("", views_review.queue, name="queue"),
    path("start/", views_review.after_login, name="after-login"),
    path(QUARTER, views_review.review, name="quarter"),
    # One URL per action, named after it: review:accept, review:score, ...
    *[
        path(f"{QUARTER}{action}/", views_review.act, {"action": action}, name=action)
        for action in views_review.ACTIONS
    ],
]
