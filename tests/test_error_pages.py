"""What a user sees when a request fails: a styled Thai page that says the
last save did not happen and how to get the typed text back (503 while the
database is down, 500 otherwise), and a log line for the administrator."""

import io
import logging

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError

from indicators.models import QuarterResult
from reports import services
from web.request_log import RequestContextFilter

from .entry_support import open_indicator, post_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter_client(client, make_user):
    indicator = open_indicator()
    client.force_login(make_user("reporter", agencies=[indicator.owner]))
    client.raise_request_exception = False
    return client, indicator


def failing_save(error):
    def save(**kwargs):
        raise error
    return save


def test_database_down_during_a_save_gives_the_thai_503_page(reporter_client, monkeypatch):
    client, indicator = reporter_client
    monkeypatch.setattr(services, "save_quarter_report", failing_save(OperationalError("server closed the connection")))

    response = post_report(client, indicator, value="12", narrative="ข้อความที่พิมพ์ไว้ยาวมาก")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert "ระบบฐานข้อมูลไม่พร้อมใช้งานชั่วคราว" in page
    assert "ข้อมูลนั้นยังไม่ได้ถูกบันทึก" in page and "ปุ่มย้อนกลับ" in page
    assert "bootstrap.min.css" in page  # styled
    assert not QuarterResult.objects.filter(indicator=indicator).exists()


def test_any_other_error_gives_the_thai_500_page(reporter_client, monkeypatch):
    client, indicator = reporter_client
    monkeypatch.setattr(services, "save_quarter_report", failing_save(RuntimeError("bug")))

    response = post_report(client, indicator, value="12", narrative="ข้อความ")

    assert response.status_code == 500
    assert "ระบบขัดข้อง" in response.content.decode()
    assert "ข้อมูลนั้นยังไม่ได้ถูกบันทึก" in response.content.decode()
    assert not QuarterResult.objects.filter(indicator=indicator).exists()


def test_an_unhandled_error_is_logged_with_the_request_and_no_form_body(reporter_client, monkeypatch):
    client, indicator = reporter_client
    monkeypatch.setattr(services, "save_quarter_report", failing_save(RuntimeError("bug in the save")))
    config = django_settings.LOGGING
    handler = logging.StreamHandler(io.StringIO())
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(logging.Formatter(config["formatters"]["line"]["format"]))
    logging.getLogger("django.request").addHandler(handler)
    try:
        response = post_report(client, indicator, value="12", narrative="ความลับในแบบฟอร์ม")
    finally:
        logging.getLogger("django.request").removeHandler(handler)

    log = handler.stream.getvalue()
    user_id = client.session["_auth_user_id"]
    request_line = f"[{response['X-Request-ID']} POST /indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/ user={user_id}]"
    assert request_line in log
    assert "Traceback" in log and "RuntimeError: bug in the save" in log
    assert "ความลับในแบบฟอร์ม" not in log
