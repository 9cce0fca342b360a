"""/healthz: 200 with JSON when the database and the evidence storage can be
used, 503 naming the one that cannot; no login, no data."""

import json

import pytest
from django.db import OperationalError

from web import health


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.mark.django_db
def test_healthy_without_login(client, media):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "failing": []}
    assert media.is_dir() and list(media.iterdir()) == []  # its probe file is gone


@pytest.mark.django_db
def test_unwritable_evidence_storage_is_named(client, settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "failing": ["evidence_storage"]}


class DeadConnection:
    def cursor(self):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_database_down_is_named(client, media, monkeypatch):
    monkeypatch.setattr(health, "connection", DeadConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "failing": ["database"]}


@pytest.mark.django_db
def test_not_redirected_to_https(client, media, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301  # everything else is
