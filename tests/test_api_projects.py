"""/api/v1/projects/: anonymous clients see accepted updates of published
years only; a token sees its owner's projects (another agency's: 404)."""

import json

import pytest

from api.models import ApiToken

from .factories import AgencyFactory, UserFactory
from .test_public_projects import NOT_ACCEPTED, SECRETS, unaccepted_texts, world  # noqa: F401

pytestmark = pytest.mark.django_db


def test_anonymous_sees_accepted_updates_only(client, world):  # noqa: F811
    listed = client.get("/api/v1/projects/?year=2569")
    assert listed.status_code == 200
    body = listed.content.decode()
    assert json.loads(body)["count"] == len(NOT_ACCEPTED)
    for project in world["projects"]:
        detail = client.get(f"/api/v1/projects/2569/{project.code}/")
        assert detail.status_code == 200
        data = json.loads(detail.content)
        assert [u["quarter"] for u in data["updates"]] == [1]
        assert data["progress"] == 25.0 and data["indicators"] == ["7300-0001"]
        body += detail.content.decode()
    text = json.dumps(json.loads(f"[{body.replace('}{', '},{')}]"), ensure_ascii=False)
    for n in range(len(NOT_ACCEPTED)):
        for secret in unaccepted_texts(n):
            assert secret not in text
    for secret in SECRETS:
        assert secret not in text
    assert client.get("/api/v1/projects/2570/7300-9/").status_code == 404
    assert json.loads(client.get("/api/v1/projects/?year=2570").content)["count"] == 0


def test_token_sees_its_owners_projects_only(client, world):  # noqa: F811
    own = world["projects"][0].owner
    _token, raw = ApiToken.issue(UserFactory(role="reporter", agencies=[own]), "t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    data = json.loads(client.get("/api/v1/projects/2569/7300-3/", **auth).content)
    assert {u["status"] for u in data["updates"]} == {"accepted", "submitted"}  # 7300-3: quarter 2 submitted
    _token, other = ApiToken.issue(UserFactory(role="reporter", agencies=[AgencyFactory()]), "t")
    assert client.get("/api/v1/projects/2569/7300-3/", HTTP_AUTHORIZATION=f"Bearer {other}").status_code == 404
    assert json.loads(client.get("/api/v1/projects/?year=2569", HTTP_AUTHORIZATION=f"Bearer {other}")
                      .content)["count"] == 0
    assert client.get("/api/v1/projects/?year=abc").status_code == 400
