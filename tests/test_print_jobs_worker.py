"""A worker killed (SIGKILL) in the middle of a book, with real processes:
the app as `make serve` runs it and `manage.py db_worker`. The job is left
"running" with nobody on it; cleanup_jobs queues it again, and a new
worker finishes the book."""

import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .pdf_inspect import outline_titles
from .served import ROOT, manage, production_env, start

SCALE = 'import sys; sys.path.insert(0, "benchmarks"); import pdf_benchmark; pdf_benchmark.scale_up(12)'


def worker(tmp_path, name):
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT, env=production_env(tmp_path), stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / f"{name}.log", "w"),
    )


def job_row(database):
    with sqlite3.connect(database) as db:
        return db.execute("select id, status, done, total, attempts from jobs_job").fetchone()


def wait_for(condition, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.fixture
def served(tmp_path):
    server = start(tmp_path)
    yield server
    server.process.terminate()
    server.process.wait(timeout=30)


def test_a_book_whose_worker_is_killed_is_queued_again_and_finished(served, tmp_path):
    manage(production_env(tmp_path), "shell", "-c", SCALE)  # 12 five-page sheets: seconds of layout
    client = served.client()
    assert client.login("manager", "demo-manager-2563") == 302
    token = client.csrf_token("/reports/book/")
    first = worker(tmp_path, "worker-1")
    try:
        status, _ = client.request("/reports/book/jobs/", {"csrfmiddlewaretoken": token, "year": "2563",
                                                          "dimension": "5"})
        assert status == 302
        wait_for(lambda: job_row(served.database)[1] == "running", 60)
        time.sleep(1)  # inside the first run of sheets
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    pk, status, done, total, attempts = job_row(served.database)
    assert (status, attempts, total) == ("running", 1, 12) and done < total

    # Nobody works on it: the check (cron, every few minutes) takes it as dead.
    manage(production_env(tmp_path, PRINT_JOB_STALE_MINUTES="0"), "cleanup_jobs")
    assert job_row(served.database)[1:2] == ("queued",)

    second = worker(tmp_path, "worker-2")
    try:
        wait_for(lambda: job_row(served.database)[1] == "done", 120)
    finally:
        second.terminate()
        second.wait(timeout=30)
    assert job_row(served.database)[4] == 2  # the killed try and the one that finished
    status, _ = client.request(f"/jobs/{pk}/")
    assert status == 200
    with client.opener.open(f"{served.url}/jobs/{pk}/download/", timeout=60) as response:
        pdf = response.read()
    assert len(outline_titles(pdf)) == 12
