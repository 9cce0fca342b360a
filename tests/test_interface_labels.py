"""What every page carries and says: our own favicon, and labels in the
interface's language where Django would show its English defaults
(model fields without a verbose name in the Thai admin) or where one Thai
word means two things in English ("ลำดับ": a place in the ranking, not an
order; "ตัวชี้วัด" heading a count: indicators)."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.conf import settings

from .helpers import page_text

pytestmark = pytest.mark.django_db

FAVICON = Path(settings.BASE_DIR) / "static" / "favicon.svg"


def header_cells(html, table_id):
    table = re.search(rf'<table[^>]*id="{table_id}".*?</thead>', html, re.S).group(0)
    return [page_text(cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)]


def test_every_frame_links_our_own_svg_favicon(seed, client, manager_client):
    pages = [manager_client.get("/"), client.get("/public/"), client.get("/accounts/login/"),
             manager_client.get("/no-such-page/")]
    for response in pages:
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in response.content.decode()
    svg = FAVICON.read_text()
    assert svg.startswith("<svg") and "<script" not in svg
    # Nothing fetched from anywhere: the only URL is the SVG namespace.
    assert re.findall(r"https?://[^\"']+", svg) == ["http://www.w3.org/2000/svg"]


def test_the_english_ranking_says_rank_and_indicators(seed, manager_client):
    html = manager_client.get("/en/scorecards/2563/").content.decode()
    headers = header_cells(html, "ranking-table")
    assert headers[0] == "Rank" and "Indicators" in headers and "Order" not in headers
    exported = manager_client.get("/en/scorecards/2563/ranking.csv").content.decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(exported)))[0] == "Rank"
    progress = manager_client.get("/en/reports/progress/?year=2563&quarter=4").content.decode()
    assert "Indicators" in header_cells(progress, "progress-table")


def test_the_thai_admin_names_its_columns_in_thai(seed, client, make_user):
    admin = make_user()
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for url in ("/admin/reports/narrative/", "/admin/indicators/quarter/"):
        html = client.get(url).content.decode()
        results = re.search(r'<table id="result_list">.*?</thead>', html, re.S).group(0)
        headers = [page_text(h).strip() for h in re.findall(r'<th scope="col"[^>]*>(.*?)</th>', results, re.S)]
        headers = [h for h in headers if h]
        assert headers and not [h for h in headers if re.search(r"[A-Za-z]", h)], (url, headers)
    node = client.get("/admin/indicators/strategynode/add/").content.decode()
    assert "ระดับบน" in page_text(node) and "Parent" not in page_text(node)
