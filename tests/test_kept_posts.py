"""Nothing typed is lost when the session ends: a save that arrives signed
out is kept across the sign-in and given back, unsaved, to the person who
typed it (web/kept_posts.py); a form refused by the CSRF check gets a
page of its own that says the page expired, never "no permission"."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from indicators.models import QuarterResult
from reports.models import Evidence, Narrative

from .entry_support import open_indicator, png_file, report_url
from .factories import QuarterResultFactory, UserFactory
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")

PASSWORD = "pass-1234-word"
TYPED = "ข้อความที่พิมพ์ไว้นานก่อนเซสชันหมดอายุ\nบรรทัดที่สอง <b>ไม่ใช่ตัวหนา</b>"


@pytest.fixture
def indicator(db):
    indicator = open_indicator(decimal_places=0, unit="ชุมชน", annual_target=Decimal("100"))
    QuarterResultFactory(indicator=indicator, quarter=1, value=Decimal("5"), status="draft", version=1)
    Narrative.objects.create(indicator=indicator, quarter=1, text="ฉบับร่างเดิม")
    return indicator


def reporter_of(indicator, username):
    user = UserFactory(role="reporter", agencies=[indicator.owner], username=username)
    user.set_password(PASSWORD)
    user.save()
    return user


def browser():
    """A test client that checks CSRF tokens as a browser's posts are checked."""
    return Client(enforce_csrf_checks=True)


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def sign_in(client, username, next_url=None):
    login_url = "/accounts/login/" + (f"?next={next_url}" if next_url else "")
    token = hidden(client.get(login_url).content.decode(), "csrfmiddlewaretoken")
    return client.post(login_url, {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD,
                                   "next": next_url or ""})


def typed_form(client, indicator, **typed):
    """Opens the report form and fills it as the reporter would."""
    html = client.get(report_url(indicator)).content.decode()
    data = {name: hidden(html, name) for name in ("csrfmiddlewaretoken", "version", "kept_post_author")}
    return {**data, "value": "12", "narrative": TYPED, "action": "draft", **typed}


def session_ends():
    Session.objects.all().delete()


def nothing_new_saved(indicator):
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    return ((result.value, result.version) == (Decimal("5"), 1)
            and Narrative.objects.get(indicator=indicator).text == "ฉบับร่างเดิม"
            and not Evidence.objects.exists())


def test_a_save_after_the_session_ended_comes_back_filled_after_signing_in(indicator):
    reporter_of(indicator, "somsri")
    client = browser()
    sign_in(client, "somsri")
    form = typed_form(client, indicator)
    session_ends()

    response = client.post(report_url(indicator), {**form, "files": png_file("ภาพกิจกรรม.png")})
    assert response.status_code == 302
    login_url = response["Location"]
    next_url = unquote(parse_qs(urlsplit(login_url).query)["next"][0])
    assert next_url.startswith(report_url(indicator) + "?restore=")
    assert nothing_new_saved(indicator)
    assert "ระบบเก็บข้อมูลที่พิมพ์ไว้ให้ชั่วคราว" in page_text(client.get(login_url))

    signed_in = sign_in(client, "somsri", next_url)
    assert signed_in.status_code == 302 and signed_in["Location"] == next_url
    page = client.get(next_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "ข้อมูลที่พิมพ์ไว้ยังไม่ได้บันทึก กรุณาตรวจสอบแล้วกดบันทึก" in page_text(page)
    assert "ไฟล์ที่แนบไว้ยังไม่ได้บันทึก (ภาพกิจกรรม.png)" in page_text(page)
    form_part = html[html.index('id="report-form"'):]
    assert 'name="value" value="12"' in form_part
    assert "ข้อความที่พิมพ์ไว้นานก่อนเซสชันหมดอายุ\nบรรทัดที่สอง &lt;b&gt;ไม่ใช่ตัวหนา&lt;/b&gt;" in form_part
    assert "ฉบับร่างเดิม" not in form_part
    assert nothing_new_saved(indicator)  # shown, not saved

    # The person checks and saves: now it is saved, and the kept copy is gone.
    saved = client.post(report_url(indicator), {**typed_form(client, indicator), "version": 1})
    assert saved.status_code == 302
    result = QuarterResult.objects.get(indicator=indicator, quarter=1)
    assert (result.value, result.version) == (Decimal("12"), 2)
    assert Narrative.objects.get(indicator=indicator).text == TYPED
    again = client.get(next_url)
    assert "ไม่พบข้อมูลที่พิมพ์ค้างไว้" in page_text(again)
    assert 'name="value" value="12"' in again.content.decode()  # the saved value, as it is now


def test_someone_else_signing_in_on_the_same_browser_does_not_see_it(indicator):
    reporter_of(indicator, "somsri")
    reporter_of(indicator, "somchai")  # same agency: may open the form
    client = browser()
    sign_in(client, "somsri")
    form = typed_form(client, indicator)
    session_ends()
    next_url = unquote(parse_qs(urlsplit(client.post(report_url(indicator), form)["Location"]).query)["next"][0])

    assert sign_in(client, "somchai", next_url).status_code == 302
    page = client.get(next_url)
    assert "ข้อความที่พิมพ์ไว้นานก่อนเซสชันหมดอายุ" not in page.content.decode()
    assert "ไม่ได้พิมพ์จากบัญชีของท่าน" in page_text(page)
    assert "ข้อมูลที่พิมพ์ไว้ยังไม่ได้บันทึก" not in page_text(page)
    assert 'name="value" value="5"' in page.content.decode()  # the saved draft
    assert "kept_posts" not in client.session or not client.session["kept_posts"]  # dropped, not kept
    assert nothing_new_saved(indicator)


def test_a_forged_restore_token_gives_back_nothing(indicator):
    reporter_of(indicator, "somsri")
    client = browser()
    sign_in(client, "somsri")
    page = client.get(report_url(indicator) + "?restore=guessed")
    assert page.status_code == 200
    assert "ไม่พบข้อมูลที่พิมพ์ค้างไว้" in page_text(page)
    assert 'name="value" value="5"' in page.content.decode()


def test_the_csrf_page_without_a_cookie_says_the_page_expired_and_why(indicator):
    client = browser()
    client.force_login(reporter_of(indicator, "somsri"))
    response = client.post(report_url(indicator), {"version": 1, "value": "7"},
                           HTTP_REFERER=f"http://testserver{report_url(indicator)}")
    assert response.status_code == 403
    text = page_text(response)
    assert "ไม่มีสิทธิ์เข้าถึง" not in text
    assert "หน้านี้หมดอายุ ยังไม่ได้บันทึก" in text
    assert "ไม่ได้ส่งคุกกี้" in text and "อนุญาตให้เบราว์เซอร์เก็บคุกกี้" in text
    back = re.search(r'<a[^>]*id="back-link"[^>]*>', response.content.decode()).group(0)
    assert 'data-action="back"' in back and f'href="http://testserver{report_url(indicator)}"' in back
    assert nothing_new_saved(indicator)


def test_a_form_from_before_a_sign_in_in_another_tab_is_kept_and_offered_again(indicator):
    reporter_of(indicator, "somsri")
    client = browser()
    sign_in(client, "somsri")
    form = typed_form(client, indicator)
    sign_in(client, "somsri")  # in another tab: a new CSRF token

    response = client.post(report_url(indicator), form)
    assert response.status_code == 403
    text = page_text(response)
    assert "หน้านี้หมดอายุ ยังไม่ได้บันทึก" in text and "ไม่มีสิทธิ์เข้าถึง" not in text
    assert "เข้าสู่ระบบใหม่ในหน้าต่างหรือแท็บอื่น" in text
    assert nothing_new_saved(indicator)
    restore = re.search(r'href="([^"]+)" id="restore-link"', response.content.decode()).group(1)
    page = client.get(restore.replace("&amp;", "&"))
    assert "ข้อมูลที่พิมพ์ไว้ยังไม่ได้บันทึก กรุณาตรวจสอบแล้วกดบันทึก" in page_text(page)
    assert "ข้อความที่พิมพ์ไว้นานก่อนเซสชันหมดอายุ" in page.content.decode()
    assert nothing_new_saved(indicator)


def test_a_cross_site_post_is_not_kept(indicator):
    """A post without the session (a cross-site form: SameSite cookies) or
    without the signed-in user's mark gets the page but nothing is kept."""
    user = reporter_of(indicator, "somsri")
    client = browser()
    client.force_login(user)
    client.get(report_url(indicator))  # has a CSRF cookie
    response = client.post(report_url(indicator), {"version": 1, "value": "7", "kept_post_author": "forged",
                                                   "csrfmiddlewaretoken": "x" * 64})
    assert response.status_code == 403
    assert 'id="restore-link"' not in response.content.decode()
    assert not client.session.get("kept_posts")


# --- the warning before the session ends (web/sessions.py) -------------

def test_the_form_says_how_long_the_session_has_left(indicator, settings):
    settings.SESSION_WARNING_SECONDS = 600
    client = Client()
    client.force_login(reporter_of(indicator, "somsri"))
    html = client.get(report_url(indicator)).content.decode()
    box = re.search(r'<div[^>]*id="session-warning"[^>]*>', html, re.S).group(0)
    # A full session, less the second or two a slow machine may take to answer.
    seconds_left = int(re.search(r'data-seconds-left="(\d+)"', box).group(1))
    assert settings.SESSION_COOKIE_AGE - 5 <= seconds_left <= settings.SESSION_COOKIE_AGE
    assert 'data-warn-before="600"' in box
    assert 'data-status-url="/accounts/session/"' in box and 'data-extend-url="/accounts/session/extend/"' in box
    assert "การเข้าสู่ระบบจะหมดเวลาในอีกประมาณ {minutes} นาที" in box
    assert "session-warning.js" in html


def test_asking_how_long_is_left_does_not_move_the_clock_and_extending_does(indicator, settings):
    import time

    from web.sessions import KEY

    client = Client()
    client.force_login(reporter_of(indicator, "somsri"))
    stored = client.session
    stored[KEY] = int(time.time()) - 3600  # an hour without a request
    stored.save()
    expiry = Session.objects.get(session_key=stored.session_key).expire_date

    left = client.get("/accounts/session/").json()["seconds_left"]
    assert settings.SESSION_COOKIE_AGE - 3600 - 5 <= left <= settings.SESSION_COOKIE_AGE - 3600
    assert Session.objects.get(session_key=stored.session_key).expire_date == expiry  # not activity
    assert client.session[KEY] == stored[KEY]

    assert client.post("/accounts/session/extend/").json() == {"seconds_left": settings.SESSION_COOKIE_AGE}
    assert client.session[KEY] >= int(time.time()) - 1
    assert Session.objects.get(session_key=stored.session_key).expire_date > expiry

    session_ends()
    assert client.get("/accounts/session/").json() == {"seconds_left": 0}
    assert client.post("/accounts/session/extend/").status_code == 302  # to sign in: nothing to extend
