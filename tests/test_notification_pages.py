"""The bell (unread count on every page, cached so pages keep their query
count), the list, opening a notice (POST: read, then its page), marking
all read, and the preferences page. Each user reaches only their own."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from notifications import services
from notifications.models import Kind, Notification, Preference

from .helpers import page_text

pytestmark = pytest.mark.django_db


def bell_count(html):
    match = re.search(r'id="notification-count">(\d+)<', html)
    return int(match.group(1)) if match else 0


@pytest.fixture
def reporter(make_user):
    return make_user("reporter")


def tell(user, n=1, url="/my-indicators/"):
    return [services.notify(user, Kind.ACCEPTED, title=f"ตรวจรับแล้ว {i}", url=url) for i in range(n)]


def test_the_bell_shows_the_unread_count_and_leads_to_the_list(client, reporter):
    tell(reporter, 3)
    client.force_login(reporter)
    html = client.get("/").content.decode()
    assert bell_count(html) == 3 and 'href="/notifications/"' in html
    page = client.get("/notifications/")
    assert "ตรวจรับแล้ว 2" in page_text(page)


def test_the_count_is_cached_and_forgotten_when_it_changes(client, reporter, django_capture_on_commit_callbacks):
    client.force_login(reporter)
    client.get("/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/notifications/preferences/")
    assert not any("notifications_notification" in q["sql"] and "COUNT" in q["sql"].upper()
                   for q in ctx.captured_queries)
    with django_capture_on_commit_callbacks(execute=True):
        tell(reporter, 2)
    assert bell_count(client.get("/").content.decode()) == 2


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(client, reporter, django_capture_on_commit_callbacks):
    (notice,) = tell(reporter, url="/my-indicators/")
    client.force_login(reporter)
    assert client.get(f"/notifications/{notice.pk}/open/").status_code == 405  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/{notice.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/my-indicators/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert bell_count(client.get("/").content.decode()) == 0


def test_a_link_elsewhere_is_not_followed(client, reporter):
    (notice,) = tell(reporter, url="https://evil.example/")
    client.force_login(reporter)
    assert client.post(f"/notifications/{notice.pk}/open/")["Location"] == "/notifications/"


def test_nobody_opens_or_reads_another_users_notice(client, reporter, make_user):
    (notice,) = tell(reporter)
    client.force_login(make_user("reporter"))
    assert client.post(f"/notifications/{notice.pk}/open/").status_code == 404
    assert "ตรวจรับแล้ว 0" not in page_text(client.get("/notifications/"))
    client.post("/notifications/read-all/")
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_all_read(client, reporter):
    tell(reporter, 3)
    client.force_login(reporter)
    client.post("/notifications/read-all/")
    assert not Notification.objects.filter(recipient=reporter, read_at__isnull=True).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get("/notifications/")["Location"].startswith("/accounts/login/")


def test_preferences_are_saved_but_mandatory_kinds_offer_no_off(client, reporter):
    client.force_login(reporter)
    html = client.get("/notifications/preferences/").content.decode()
    returned_select = re.search(r'<select name="returned".*?</select>', html, re.S).group(0)
    assert 'value="off"' not in returned_select
    data = {kind: "immediate" for kind in Kind.values}
    data["accepted"] = "off"
    data["submitted"] = "digest"
    assert client.post("/notifications/preferences/", data).status_code == 302
    assert dict(Preference.objects.filter(user=reporter).values_list("kind", "delivery"))["accepted"] == "off"
    data["returned"] = "off"
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 200 and "returned" in response.context["form"].errors


def test_the_bell_adds_no_query_to_a_page_viewed_again(seed, manager_client):
    """The detail page's cached second view stays at its four queries
    (tests/test_detail_cache.py) with the bell on it."""
    manager_client.get(seed.get_absolute_url())
    with CaptureQueriesContext(connection) as ctx:
        manager_client.get(seed.get_absolute_url())
    assert len(ctx.captured_queries) == 4
    cache.clear()
