"""Thai digits as a display setting for Thai: switched on in the user menu
(a cookie), the page's text shows ๐–๙ while links, form values and scripts
keep their digits; off again, and never on English pages."""

import pytest

from config.thai_digits import thai_digits_html

from .helpers import page_text
from .pytest_fixtures import SEED_URL


def test_only_text_between_tags_changes():
    html = ('<a href="/indicators/2563/1/">ปี 2563</a><input value="12"><textarea>ผล 12</textarea>'
            '<script src="/s.js">var a = 1;</script><!-- 3 --><td>100.00</td>')
    assert thai_digits_html(html) == (
        '<a href="/indicators/2563/1/">ปี ๒๕๖๓</a><input value="12"><textarea>ผล 12</textarea>'
        '<script src="/s.js">var a = 1;</script><!-- 3 --><td>๑๐๐.๐๐</td>')


@pytest.mark.django_db
def test_switching_thai_digits_on_and_off(seed, manager_client):
    assert "ปีงบประมาณ 2563" in page_text(manager_client.get(SEED_URL))

    response = manager_client.post("/display/thai-digits/", {"on": "1", "next": SEED_URL})
    assert response.status_code == 302 and response["Location"] == SEED_URL
    page = manager_client.get(SEED_URL)
    assert "ปีงบประมาณ ๒๕๖๓" in page_text(page) and "๑๐๐.๐๐" in page_text(page)
    assert f'href="/en{SEED_URL}"' in page.content.decode()  # links keep their digits
    assert int(page["Content-Length"]) == len(page.content)
    assert "Fiscal year 2020 (BE 2563)" in page_text(manager_client.get("/en" + SEED_URL))  # Thai only

    manager_client.post("/display/thai-digits/", {"next": SEED_URL})
    assert "ปีงบประมาณ 2563" in page_text(manager_client.get(SEED_URL))


@pytest.mark.django_db
def test_the_switch_returns_only_to_this_site(manager_client):
    response = manager_client.post("/display/thai-digits/", {"on": "1", "next": "https://example.org/"})
    assert response["Location"] == "/"
