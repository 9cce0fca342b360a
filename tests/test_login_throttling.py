"""Login throttling (django-axes) on the site's and the admin's login: after
LOGIN_FAILURE_LIMIT wrong passwords for a username, or from one address, the
right password is refused too, with a Thai page, without hashing anything,
until an administrator unlocks."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import call_command

SITE_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"


class CountingHasher(MD5PasswordHasher):
    """Counts every password check, to prove a locked login runs none."""

    algorithm = "counting_md5"
    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.fixture
def counting_hasher(settings):
    settings.PASSWORD_HASHERS = ["tests.test_login_throttling.CountingHasher"]
    CountingHasher.checks = 0
    return CountingHasher


@pytest.fixture
def somchai(make_user, counting_hasher):
    user = make_user("evaluator")
    user.is_staff = True
    user.set_password("right-password-2570")
    user.save()
    return user


def attempt(client, url, username, password):
    return client.post(url, {"username": username, "password": password})


@pytest.mark.parametrize("url", [SITE_LOGIN, ADMIN_LOGIN])
def test_after_the_limit_the_right_password_is_refused(client, somchai, settings, url):
    statuses = [attempt(client, url, somchai.username, "wrong").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]  # the form again, then the lock

    hashed_before = CountingHasher.checks
    assert hashed_before >= settings.AXES_FAILURE_LIMIT - 1  # the wrong passwords were checked
    response = attempt(client, url, somchai.username, "right-password-2570")

    assert response.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in response.content.decode()
    assert CountingHasher.checks == hashed_before  # no password hashed while locked
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username=somchai.username).failures_since_start > settings.AXES_FAILURE_LIMIT


def test_an_administrator_unlocks(client, somchai, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, SITE_LOGIN, somchai.username, "wrong")
    assert attempt(client, SITE_LOGIN, somchai.username, "right-password-2570").status_code == 429

    call_command("axes_reset_username", somchai.username)

    assert attempt(client, SITE_LOGIN, somchai.username, "right-password-2570").status_code == 302
    assert client.session["_auth_user_id"] == str(somchai.pk)
    assert not AccessAttempt.objects.filter(username=somchai.username).exists()  # reset on success


def test_one_address_guessing_many_usernames_is_locked_out(client, somchai, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, SITE_LOGIN, f"guess-{number}", "wrong")

    response = attempt(client, SITE_LOGIN, somchai.username, "right-password-2570")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_failures_below_the_limit_do_not_lock(client, somchai, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, SITE_LOGIN, somchai.username, "wrong")
    assert attempt(client, SITE_LOGIN, somchai.username, "right-password-2570").status_code == 302
    assert client.session["_auth_user_id"] == str(somchai.pk)
