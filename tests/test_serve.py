"""`make serve` as production runs it: gunicorn, DEBUG off, static files from
WhiteNoise, the default SQLite database in WAL mode with IMMEDIATE
transactions. Concurrent logins and a save race give the same answers as on
PostgreSQL: every login gets in, one save wins and the others get the 409
conflict page, never a 500 "database is locked"."""

import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from .served import Browserless, start

DISTRICT_REPORT = "/indicators/2570/5013-0001/quarters/1/report/"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    server = start(tmp_path_factory.mktemp("served"))
    yield server
    server.process.terminate()
    server.process.wait(timeout=30)


def test_healthz_answers_without_login(served):
    status, body = Browserless(served.url).request("/healthz")
    assert (status, body) == (200, '{"status": "ok", "failing": []}')


def test_the_default_sqlite_database_runs_in_wal_mode(served):
    with sqlite3.connect(served.database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_simultaneous_logins_all_get_in(served):
    users = [Browserless(served.url) for _ in range(10)]
    tokens = [user.csrf_token("/accounts/login/") for user in users]

    def log_in(pair):
        user, token = pair
        return user.request("/accounts/login/", {
            "csrfmiddlewaretoken": token, "username": "rajthewi", "password": "demo-rajthewi-2570"})[0]

    with ThreadPoolExecutor(len(users)) as pool:
        statuses = list(pool.map(log_in, zip(users, tokens, strict=True)))
    assert statuses == [302] * 10
    with sqlite3.connect(served.database) as connection:
        sessions = connection.execute("SELECT count(*) FROM django_session").fetchone()[0]
    assert sessions >= 10


def test_a_save_race_has_one_winner_and_conflicts_not_errors(served):
    writers = [Browserless(served.url) for _ in range(8)]
    forms = []
    for number, writer in enumerate(writers):
        assert writer.login("rajthewi", "demo-rajthewi-2570") == 302
        token = writer.csrf_token(DISTRICT_REPORT)
        forms.append({"csrfmiddlewaretoken": token, "version": "0", "value": str(10 + number),
                      "narrative": f"รายงานของผู้บันทึกคนที่ {number}", "action": "draft"})

    with ThreadPoolExecutor(len(writers)) as pool:
        answers = list(pool.map(lambda pair: pair[0].request(DISTRICT_REPORT, pair[1]), zip(writers, forms, strict=True)))

    statuses = sorted(status for status, _ in answers)
    assert statuses == [302] + [409] * 7
    winner = next(number for number, (status, _) in enumerate(answers) if status == 302)
    for number, (status, body) in enumerate(answers):
        if status == 409:
            # The loser's typed text comes back in the form.
            assert f"รายงานของผู้บันทึกคนที่ {number}" in body
    with sqlite3.connect(served.database) as connection:
        value, version = connection.execute(
            "SELECT r.value, r.version FROM indicators_quarterresult r JOIN indicators_indicator i "
            "ON i.id = r.indicator_id WHERE i.code = '5013-0001' AND r.quarter = 1").fetchone()
    assert (float(value), version) == (10 + winner, 1)


@pytest.mark.browser
def test_pages_are_styled_with_debug_off(served, browser):
    context = browser.new_context(base_url=served.url, locale="th-TH")
    page = context.new_page()
    stylesheets = {}
    page.on("response", lambda r: stylesheets.__setitem__(r.url, r.status) if r.url.endswith(".css") else None)
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/accounts/login/")
    page.wait_for_load_state("networkidle")

    bootstrap = [url for url in stylesheets if "/static/bootstrap/css/bootstrap.min." in url]
    assert bootstrap and re.search(r"bootstrap\.min\.[0-9a-f]{12}\.css$", bootstrap[0])  # hashed name
    assert set(stylesheets.values()) == {200}
    button = page.locator("button[type=submit]")
    assert button.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(13, 110, 253)"  # Bootstrap primary
    loaded_sarabun = page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].filter("
        "f => f.family.includes('Sarabun') && f.status === 'loaded').length)")
    assert loaded_sarabun >= 1  # the font file came through staticfiles too
    assert violations == []
    context.close()
