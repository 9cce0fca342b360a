"""In a real browser: the table's header stays in view while the rows scroll,
and the table prints on A4 landscape."""

import io

import pytest
from pypdf import PdfReader

from indicators import synthetic

MARKS = {ord(c): None for c in "\x00\u0e31\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"}


def bare(text):
    """Thai without vowel and tone marks: PDF text extraction drops some."""
    return text.translate(MARKS)


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def table_page(page, login, make_user):
    synthetic.generate(indicators=60, years=1, narratives=False, log=lambda *a: None)
    user = make_user("manager")
    user.set_password("pass-1234-word")
    user.save()
    login(user.username, "pass-1234-word")
    page.goto("/reports/quarterly/")
    return page


def test_header_stays_in_view_while_scrolling(table_page):
    scroller = table_page.locator(".quarterly-scroll")
    header = table_page.locator("#quarterly-table thead")
    top_before = header.bounding_box()["y"]
    scroller.evaluate("el => el.scrollTop = 1500")
    table_page.wait_for_timeout(100)
    assert scroller.evaluate("el => el.scrollTop") > 1000  # the rows really scrolled
    box, area = header.bounding_box(), scroller.bounding_box()
    assert abs(box["y"] - area["y"]) < 2  # the header sits at the top of the scrolled area
    assert abs(box["y"] - top_before) < 2
    assert table_page.locator("#quarterly-table thead th", has_text="ไตรมาสที่ 4").first.is_visible()


def test_prints_on_a4_landscape(table_page):
    table_page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(table_page.pdf(prefer_css_page_size=True, print_background=True)))
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape in points
    text = bare(pdf.pages[0].extract_text())
    assert bare("ไตรมาสที่ 4") in text and bare("สถานะทั้งปี") in text  # the last columns fit on the page
    # the header repeats on the next printed page
    if len(pdf.pages) > 1:
        assert "2.1 / 2.2" in pdf.pages[1].extract_text()
