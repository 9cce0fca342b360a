"""Notices on every page: evaluators see how many quarters wait; reporters see
their agencies' returned quarters with the evaluator's comment."""

import re

import pytest
from django.test import Client
from django.utils.html import strip_tags

from evaluation import services
from indicators.models import QuarterResult
from tests.factories import AgencyFactory, IndicatorFactory, QuarterResultFactory
from tests.helpers import page_text


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_evaluator_sees_the_number_waiting_on_every_page(seed, evaluator):
    QuarterResultFactory(status="submitted")
    client = signed_in(evaluator)
    html = client.get("/").content.decode()
    assert re.search(r'id="nav-review-queue">[^<]*<span[^>]*>2</span>', html)
    assert "มีผลรายไตรมาสส่งเข้ามารอตรวจ 2 รายการ" in page_text(client.get(seed.get_absolute_url()))


def test_nothing_waiting_means_no_notice(db, evaluator):
    html = signed_in(evaluator).get("/").content.decode()
    assert 'id="notice-waiting"' not in html
    assert 'id="nav-review-queue"' in html  # the menu item stays


def test_reporter_sees_their_returned_quarters_with_the_comment(seed, evaluator, make_user):
    own = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.return_for_correction(result=own, user=evaluator, expected_version=own.version,
                                     comment="กรุณาแนบภาพถ่ายกิจกรรมของกลุ่มกรุงเทพตะวันออก")
    other_agency = AgencyFactory()
    other = QuarterResultFactory(indicator=IndicatorFactory(owner=other_agency), status="submitted", version=1)
    services.return_for_correction(result=other, user=evaluator, expected_version=1, comment="ของหน่วยงานอื่น")

    reporter = make_user("reporter", agencies=[seed.owner])
    response = signed_in(reporter).get("/")
    notice = re.search(r'id="notice-returned">(.*?)</div>', response.content.decode(), re.S).group(1)
    notice_text = re.sub(r"\s+", " ", strip_tags(notice))
    assert "2100-1037 ไตรมาสที่ 4 ปีงบประมาณ 2563" in notice_text
    assert "กรุณาแนบภาพถ่ายกิจกรรมของกลุ่มกรุงเทพตะวันออก" in notice_text
    assert "แก้ไขได้ถึง" in notice_text
    assert "ของหน่วยงานอื่น" not in notice_text
    assert seed.get_absolute_url() in notice


def test_the_returned_notice_links_to_the_quarters_form(seed, evaluator, make_user):
    """The reporter has a quarter to correct: the link opens its report form,
    which the reporter may use, not the indicator's page."""
    result = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.return_for_correction(result=result, user=evaluator, expected_version=result.version, comment="แก้")
    client = signed_in(make_user("reporter", agencies=[seed.owner]))
    html = client.get("/my-indicators/").content.decode()
    notice = re.search(r'id="notice-returned">(.*?)</div>', html, re.S).group(1)
    [link] = re.findall(r'href="([^"]+)"', notice)
    assert link == "/indicators/2563/2100-1037/quarters/4/report/"
    form = client.get(link)
    assert form.status_code == 200 and "รายงานผลไตรมาสที่ 4" in page_text(form)
    # In English the link stays in English.
    notice = re.search(r'id="notice-returned">(.*?)</div>', client.get("/en/my-indicators/").content.decode(),
                       re.S).group(1)
    assert 'href="/en/indicators/2563/2100-1037/quarters/4/report/"' in notice


def test_the_notice_goes_once_the_quarter_is_submitted_again(seed, evaluator, make_user):
    result = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.return_for_correction(result=result, user=evaluator, expected_version=result.version, comment="แก้")
    QuarterResult.objects.filter(pk=result.pk).update(status="submitted")
    html = signed_in(make_user("reporter", agencies=[seed.owner])).get("/").content.decode()
    assert 'id="notice-returned"' not in html


@pytest.mark.parametrize("role", ["manager", "administrator"])
def test_others_get_no_review_notices(seed, evaluator, make_user, role):
    result = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.return_for_correction(result=result, user=evaluator, expected_version=result.version, comment="แก้")
    QuarterResultFactory(status="submitted")
    html = signed_in(make_user(role, agencies=[seed.owner])).get("/").content.decode()
    assert 'id="notice-returned"' not in html
    assert 'id="notice-waiting"' not in html and 'id="nav-review-queue"' not in html


def test_the_comment_is_escaped(seed, evaluator, make_user):
    result = QuarterResult.objects.get(indicator=seed, quarter=4)
    services.return_for_correction(result=result, user=evaluator, expected_version=result.version,
                                     comment='<script>alert("x")</script>')
    html = signed_in(make_user("reporter", agencies=[seed.owner])).get("/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
