"""In a real browser, without signing in: a citizen finds the seed indicator
on the public site by searching, reads its accepted quarters and chart,
downloads the year's data; a developer opens the API documentation (Swagger
UI from the installed sidecar package) and tries an endpoint. Every page
keeps the site's Content-Security-Policy (the `page` fixture fails on any
violation); a staff member makes a token on the tokens page."""

import json
import re

import pytest

from .pytest_fixtures import SEED_CODE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_finds_an_indicator_and_its_data(seed, page):
    page.goto("/public/")
    page.get_by_role("link", name="ปีงบประมาณ 2563", exact=True).click()  # the list of years, not the chart
    assert page.locator("h1").inner_text() == "ตัวชี้วัด ปีงบประมาณ 2563"
    page.click("text=ค้นหาตัวชี้วัดทั้งหมด")
    page.fill("#id_q", "บริบท")
    page.select_option("#id_status", "pending")
    page.click("form[role=search] button[type=submit]")
    assert "พบ 1 ตัวชี้วัด" in page.inner_text("#result-count")
    page.click(f"td a:has-text('{SEED_CODE}')")
    assert page.url.endswith(f"/public/2563/indicators/{SEED_CODE}/")
    rows = page.locator("#quarter-table tbody tr")
    assert rows.nth(2).get_attribute("data-status") == "accepted"
    assert re.sub(r"\s+", " ", rows.nth(3).inner_text()).count("รอการประเมิน") == 4
    # The chart has its text alternative.
    assert "ไตรมาสที่ 4" in page.locator("svg[role=img] desc").text_content()
    with page.expect_download() as download:
        page.goto("/public/data/")
        page.click("text=ข้อมูลปี 2563 (CSV)")
    assert download.value.suggested_filename == "kpi-2563.csv"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_documentation_runs_under_the_sites_csp(seed, page):
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/indicators/{year}/{code}/" in [p.replace("\u200b", "") for p in paths]
    # Try an endpoint from the page.
    page.click("#operations-indicators-indicators_retrieve .opblock-summary")
    page.click("#operations-indicators-indicators_retrieve .try-out__btn")
    page.fill("#operations-indicators-indicators_retrieve input[placeholder=year]", "2563")
    page.fill("#operations-indicators-indicators_retrieve input[placeholder=code]", SEED_CODE)
    page.click("#operations-indicators-indicators_retrieve .execute")
    body = page.locator("#operations-indicators-indicators_retrieve .live-responses-table "
                        ".response-col_description pre").first
    body.wait_for(timeout=15_000)
    assert json.loads(body.inner_text())["code"] == SEED_CODE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_manager_makes_a_token_from_the_user_menu(seed, page, login):
    login("manager", "demo-manager-2563")
    page.click("#user-menu")
    page.click("text=โทเค็น API")
    page.fill("#id_name", "ระบบรายงานกลาง")
    page.click("form button[type=submit]:has-text('สร้างโทเค็น')")
    token = page.input_value("#new-token-value")
    assert token.startswith("kpi_")
    response = page.request.get("/api/v1/indicators/?year=2563", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200 and response.json()["results"][0]["quarters"][3]["status"] == "submitted"
    page.click("button:has-text('เพิกถอน')")
    assert "เพิกถอนแล้ว" in page.inner_text("#tokens")
    response = page.request.get("/api/v1/indicators/", headers={"Authorization": f"Bearer {token}"})
    assert response.status == 401
