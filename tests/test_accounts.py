"""Accounts: every user changes their own password; a forgotten one is reset
by e-mail (Thai mail, one-time link); sessions end at browser close and after
a working day without a request."""

import datetime
import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.utils import timezone

from web.sessions import KEY, REFRESH_SECONDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(make_user):
    user = make_user("reporter")
    user.email = "somsri@example.go.th"
    user.set_password("old-password-2569")
    user.save()
    return user


def test_a_user_changes_their_password(client, reporter):
    client.force_login(reporter)
    page = client.get("/").content.decode()
    assert 'href="/accounts/password/change/"' in page  # in the menu

    response = client.post("/accounts/password/change/", {
        "old_password": "old-password-2569", "new_password1": "ใหม่-new-2570-kpi", "new_password2": "ใหม่-new-2570-kpi"})

    assert response.status_code == 302
    assert "เปลี่ยนรหัสผ่านแล้ว" in client.get(response["Location"]).content.decode()
    reporter.refresh_from_db()
    assert reporter.check_password("ใหม่-new-2570-kpi")


def test_the_change_form_is_thai(client, reporter):
    client.force_login(reporter)
    page = client.get("/accounts/password/change/").content.decode()
    assert "เปลี่ยนรหัสผ่าน" in page and "บันทึกรหัสผ่านใหม่" in page


def test_a_forgotten_password_is_reset_by_mail(client, reporter):
    assert 'href="/accounts/password/reset/"' in client.get("/accounts/login/").content.decode()

    response = client.post("/accounts/password/reset/", {"email": "somsri@example.go.th"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "ตั้งรหัสผ่านใหม่: ระบบติดตามตัวชี้วัด กทม."
    assert f"ชื่อผู้ใช้ของท่าน: {reporter.username}" in message.body
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_url = client.get(link)["Location"]  # Django swaps the token for a session-held one
    response = client.post(form_url, {"new_password1": "ตั้งใหม่-2570-kpi", "new_password2": "ตั้งใหม่-2570-kpi"})
    assert response.status_code == 302
    reporter.refresh_from_db()
    assert reporter.check_password("ตั้งใหม่-2570-kpi")
    assert "ลิงก์นี้ใช้ไม่ได้แล้ว" in client.get(link, follow=True).content.decode()  # one use only


def test_a_session_ends_at_browser_close_and_after_a_working_day(client, reporter, settings):
    response = client.post("/accounts/login/", {"username": reporter.username, "password": "old-password-2569"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date.timestamp() - time.time()
    assert 9 * 3600 - 60 < remaining <= 9 * 3600


def test_working_moves_the_expiry_on(client, reporter):
    client.force_login(reporter)
    stored = client.session
    stored[KEY] = int(time.time()) - REFRESH_SECONDS - 1  # last refreshed a while ago
    stored.save()
    one_hour_left = timezone.now() + datetime.timedelta(hours=1)
    Session.objects.filter(session_key=stored.session_key).update(expire_date=one_hour_left)

    assert client.get("/").status_code == 200

    session = Session.objects.get(session_key=stored.session_key)
    assert session.expire_date.timestamp() - time.time() > 9 * 3600 - 60
