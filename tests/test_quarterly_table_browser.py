"""In a real browser: the table scrolls sideways in its box with the
indicator column kept in view (and never up and down inside the page),
badges and short labels never break inside a word, and the table prints
on A4 landscape."""

import io

import pytest
from pypdf import PdfReader

from demo import synthetic

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


# The text of an element drawn on how many lines (distinct tops of its line boxes).
LINES = """el => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top))).size;
}"""
# A badge's height against the same badge holding one Thai letter: one line tall.
BADGE_LINES = """el => {
    const one = el.cloneNode(false);
    one.textContent = "ก";
    el.after(one);
    const ratio = el.getBoundingClientRect().height / one.getBoundingClientRect().height;
    one.remove();
    return ratio;
}"""


def test_no_nested_vertical_scroll_and_the_indicator_column_stays_in_view(table_page):
    # A laptop-sized window, narrower than the table's sixteen figure columns.
    table_page.set_viewport_size({"width": 1024, "height": 768})
    assert table_page.evaluate("document.documentElement.lang") == "th"
    scroller = table_page.locator(".quarterly-scroll")
    assert scroller.evaluate("el => el.scrollHeight - el.clientHeight") <= 1  # the page scrolls, not the box
    assert scroller.evaluate("el => getComputedStyle(el).overflowY") in ("hidden", "visible", "clip")
    first = table_page.locator("#quarterly-table tbody th.ind-name").first
    figure = table_page.locator("#quarterly-table tbody tr:not(.group-row) td.q-start").first
    before, figure_before = first.bounding_box(), figure.bounding_box()
    width = scroller.evaluate("el => el.scrollWidth - el.clientWidth")
    assert width > 100  # the table is wider than the page at this size
    scroller.evaluate("el => el.scrollLeft = el.scrollWidth")
    table_page.wait_for_timeout(100)
    after, area = first.bounding_box(), scroller.bounding_box()
    assert figure.bounding_box()["x"] < figure_before["x"] - 100  # the figures moved
    assert abs(after["x"] - before["x"]) < 2 and after["x"] >= area["x"] - 1  # the indicator column did not
    assert table_page.locator("#quarterly-table thead th", has_text="ไตรมาสที่ 4").first.is_visible()


def test_badges_and_short_labels_stay_on_one_line_on_a_phone(table_page):
    table_page.set_viewport_size({"width": 390, "height": 844})
    for url in ("/reports/quarterly/", "/", "/scorecards/"):
        table_page.goto(url)
        badges = table_page.locator(".badge")
        assert badges.count() >= 10
        for ratio in badges.evaluate_all(f"els => els.map({BADGE_LINES})"):
            assert ratio < 1.2, url
        labels = table_page.locator(".short-label, .quarterly-table thead th")
        assert labels.count() >= 10
        broken = [text for text, lines in zip(labels.all_inner_texts(), labels.evaluate_all(f"els => els.map({LINES})"), strict=True)
                  if lines > 1]
        assert broken == [], (url, broken)


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
