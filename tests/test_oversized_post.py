"""A very large form post (issue 16, point 4): megabytes of pasted Thai get
the form's own answer (the text kept, its length and the limit said); a post
beyond even DATA_UPLOAD_MAX_MEMORY_SIZE gets a Thai page in the site's
layout that says nothing was saved and what the limits are, never a bare
English "Bad Request (400)"."""

import re

import pytest

from indicators.models import QuarterResult
from reports.models import Narrative

from .entry_support import open_indicator, post_report
from .helpers import page_text

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def indicator(db):
    return open_indicator(decimal_places=0, unit="ชุมชน")


def test_three_megabytes_of_thai_get_the_forms_own_answer(reporter_client, indicator):
    pasted = "การพัฒนาเชิงพื้นที่" * 60_000  # 1,140,000 characters, 3.4 MB in UTF-8
    assert len(pasted.encode()) > 3_000_000
    response = post_report(reporter_client, indicator, value="5", narrative=pasted)
    assert response.status_code == 400
    [message] = response.context["form"].errors["narrative"]
    assert "1,140,000" in message and "50,000" in message
    assert pasted in response.content.decode()  # the text comes back whole
    assert not QuarterResult.objects.filter(indicator=indicator).exists()
    assert not Narrative.objects.filter(indicator=indicator).exists()


def test_a_post_over_the_request_limit_gets_a_thai_page(reporter_client, indicator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
    pasted = "ก" * 1_000_000  # 3 MB: over the 2 MB limit
    response = post_report(reporter_client, indicator, value="5", narrative=pasted)
    assert response.status_code == 413
    page = page_text(response)
    assert "ระบบยังไม่ได้บันทึกข้อมูลใด ๆ จากแบบฟอร์มนี้" in page
    assert "ไม่เกิน 50,000 ตัวอักษร" in page and "ไม่เกิน 2 MB" in page
    assert "ปุ่มย้อนกลับ (Back)" in page
    assert 'href="/static/css/app.css"' in response.content.decode()  # the site's own layout
    assert "Bad Request" not in response.content.decode()
    assert not QuarterResult.objects.filter(indicator=indicator).exists()
    assert not Narrative.objects.filter(indicator=indicator).exists()


def test_the_limit_leaves_room_for_every_narrative_at_its_maximum(settings):
    # Seven narratives (overall + six district groups) of 50,000 Thai
    # characters, URL-encoded (9 bytes each), still reach the form's check.
    assert 7 * settings.LONG_TEXT_MAX_LENGTH * 9 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_narrative_boxes_carry_the_counter(reporter_client, indicator):
    html = reporter_client.get(f"/indicators/{indicator.fiscal_year.year}/{indicator.code}/quarters/1/report/")
    html = html.content.decode()
    box = re.search(r"<textarea[^>]*name=\"narrative\"[^>]*>", html).group(0)
    assert 'data-max-chars="50000"' in box
    assert "ตัวอักษร" in box
    assert re.search(r'<script src="/static/js/char-counter\.js">', html)
