"""Sign-in in Thai, and no page without it."""

import pytest


def test_sign_in_page_is_thai_and_open_to_visitors(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "เข้าสู่ระบบ" in page and "ชื่อผู้ใช้" in page and "รหัสผ่าน" in page


def test_wrong_password_gets_a_thai_message(client, make_user):
    user = make_user("reporter")
    response = client.post("/accounts/login/", {"username": user.username, "password": "wrong"})
    assert response.status_code == 200
    assert "และรหัสผ่านที่ถูกต้อง" in response.content.decode()  # Django's Thai catalogue


def test_sign_in_then_back_to_the_page_asked_for(client, make_user):
    user = make_user("reporter")
    response = client.post("/accounts/login/?next=/my-indicators/",
                           {"username": user.username, "password": "pass-1234-word", "next": "/my-indicators/"})
    assert response.status_code == 302 and response["Location"] == "/my-indicators/"
    assert client.get("/my-indicators/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/my-indicators/", "/indicators/2570/X/quarters/1/report/",
                                 "/indicators/2570/X/history/", "/evidence/1/", "/admin/"])
def test_every_page_needs_a_signed_in_user(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
