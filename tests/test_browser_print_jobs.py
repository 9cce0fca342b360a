"""A manager asks for a book in a real Chromium and gets it through a print
job made by a real task worker: the app as `make serve` runs it (gunicorn,
real settings, the database task backend, a file SQLite database of its
own) and `manage.py db_worker` as a separate process, as in production."""

import re
import subprocess
import sys

import pytest

from .pdf_inspect import outline_titles
from .pytest_fixtures import watch_csp
from .served import ROOT, production_env, start

pytestmark = [pytest.mark.browser]


@pytest.fixture
def served_with_worker(tmp_path):
    served = start(tmp_path)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT, env=production_env(tmp_path), stdout=subprocess.DEVNULL, stderr=open(tmp_path / "worker.log", "w"),
    )
    yield served
    for process in (worker, served.process):
        process.terminate()
        process.wait(timeout=30)


def test_book_form_to_job_page_with_progress_to_download(browser, served_with_worker):
    context = browser.new_context(base_url=served_with_worker.url, locale="th-TH", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    violations = watch_csp(page)

    page.goto("/accounts/login/")
    page.fill("#id_username", "manager")
    page.fill("#id_password", "demo-manager-2563")
    page.click("button[type=submit]")
    page.wait_for_load_state()

    page.goto("/reports/book/")
    page.select_option("#id_year", "2563")
    page.select_option("#id_agency", "2100")
    page.get_by_role("button", name="สร้างไฟล์ PDF").click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    assert page.locator("progress").count() == 1
    assert "สำนักยุทธศาสตร์และประเมินผล" in page.locator("main, body").first.inner_text()

    # The page follows the worker without being reloaded, to the download link.
    download_link = page.get_by_role("link", name="ดาวน์โหลดไฟล์")
    download_link.wait_for(state="visible")
    assert page.locator("progress").get_attribute("value") == "100"
    assert page.locator('[data-field="status_label"]').inner_text() == "เสร็จแล้ว"

    response = page.request.get(download_link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert [title.split()[0] for title, _ in outline_titles(response.body())] == ["2100-1037"]

    page.goto("/jobs/")
    assert "เสร็จแล้ว" in page.locator("table").inner_text()
    context.close()
    assert violations == [], "Content-Security-Policy violations:\n" + "\n".join(violations)
