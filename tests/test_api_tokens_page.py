"""The tokens page: a signed-in user makes tokens (shown once), sees them
listed without the token itself, and revokes them; never another's."""

import re

import pytest

from api.models import ApiToken
from api.tokens import MAX_ACTIVE

from .factories import UserFactory

URL = "/accounts/api-tokens/"


@pytest.fixture
def user(db):
    return UserFactory(role="manager")


def test_the_page_needs_a_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_user_menu_links_to_the_tokens_page(client, user):
    client.force_login(user)
    assert f'href="{URL}"' in client.get("/").content.decode()


def test_a_token_is_shown_once_and_works(client, user):
    client.force_login(user)
    response = client.post(URL, {"name": "ระบบรายงานกลาง", "lifetime": "90"})
    assert response.status_code == 200 and response["Cache-Control"].startswith("max-age=0")
    raw = re.search(r'id="new-token-value" type="text" readonly value="(kpi_[^"]+)"', response.content.decode())[1]
    token = ApiToken.objects.get(user=user)
    assert token.name == "ระบบรายงานกลาง" and token.expires_at is not None and raw.startswith(token.shown)
    # Never again: the list shows only its first characters.
    page = client.get(URL).content.decode()
    assert raw not in page and f"{token.shown}…" in page
    client.logout()
    assert client.get("/api/v1/fiscal-years/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_revoking_a_token(client, user):
    client.force_login(user)
    token, raw = ApiToken.issue(user, "สคริปต์")
    response = client.post(f"{URL}{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked
    assert "เพิกถอนแล้ว" in client.get(URL).content.decode()
    assert client.get("/api/v1/fiscal-years/", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    # Only by POST.
    assert client.get(f"{URL}{token.pk}/revoke/").status_code == 405


def test_another_users_token_cannot_be_seen_or_revoked(client, user):
    other, _raw = ApiToken.issue(UserFactory(role="manager"), "ของคนอื่น")
    client.force_login(user)
    assert "ของคนอื่น" not in client.get(URL).content.decode()
    assert client.post(f"{URL}{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert not other.revoked


def test_a_name_is_required_and_active_tokens_are_limited(client, user):
    client.force_login(user)
    response = client.post(URL, {"name": " ", "lifetime": ""})
    assert response.status_code == 400 and not ApiToken.objects.exists()
    for n in range(MAX_ACTIVE):
        ApiToken.issue(user, f"t{n}")
    response = client.post(URL, {"name": "อีกหนึ่ง", "lifetime": ""})
    assert response.status_code == 400 and "เพิกถอน" in response.content.decode()
    assert ApiToken.objects.filter(user=user).count() == MAX_ACTIVE
