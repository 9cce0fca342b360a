"""Print jobs: a book asked for answers with a job page at once; the job
goes queued → running → done (or failed, with a Thai message and a retry);
only its owner and administrators see it; two at a time per user; a dead
worker's job is requeued or failed, never running forever; expired jobs go
with their files. Tasks run at once here unless a test queues them only
(the dummy backend)."""

import datetime
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from jobs import services as jobs
from jobs.models import Job
from reports import printing, sheet_pdfs, tasks
from reports.models import Narrative

from .factories import AgencyFactory, FiscalYearFactory
from .pdf_inspect import outline_titles, page_texts, thai_normal
from .test_pdf_book import contents_links, make_indicators

JOB_URL = "/reports/book/jobs/"
QUEUE_ONLY = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})


@pytest.fixture
def book(db):
    """An agency with three indicators in FY 2570."""
    year = FiscalYearFactory(year=2570)
    owner = AgencyFactory(code="7700", short_name="สทน.")
    return owner, make_indicators(3, owner, year)


def ask(client, agency="7700", year=2570):
    return client.post(JOB_URL, {"year": year, "agency": agency})


def job_of(response):
    assert response.status_code == 302, response.content.decode()[:500]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))


def download(client, job):
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_a_book_goes_queued_running_done_and_downloads(book, client, make_user):
    client.force_login(make_user("manager"))
    with QUEUE_ONLY:
        job = job_of(ask(client))
        assert job.status == Job.Status.QUEUED
        page = client.get(f"/jobs/{job.pk}/").content.decode()
        assert "หน่วยงาน" in page and "รอคิว" in page and 'data-status-url="/jobs/' in page
        assert client.get(f"/jobs/{job.pk}/status.json").json()["status"] == "queued"
        assert client.get(f"/jobs/{job.pk}/download/").status_code == 404  # nothing yet
    tasks.make_book.call(job.pk)  # the worker, with the sub-tasks run at once
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.attempts) == (Job.Status.DONE, 3, 3, 1)
    status = client.get(f"/jobs/{job.pk}/status.json").json()
    assert status["status"] == "done" and status["percent"] == 100
    pdf = download(client, job)
    assert len(outline_titles(pdf)) == 3
    listing = client.get("/jobs/").content.decode()
    assert f"/jobs/{job.pk}/download/" in listing


def test_a_running_job_reports_progress_and_time_left(book, make_user):
    job = Job.objects.create(owner=make_user("manager"), kind="book", status=Job.Status.RUNNING,
                                  total=10, done=4, started_at=timezone.now() - datetime.timedelta(seconds=8))
    status = jobs.status_of(job)
    assert status["percent"] == 40 and status["seconds_left"] in (12, 13)  # 6 sheets at 2 s each
    # Every sheet laid out, the book still being joined: not 100 % yet.
    job.done = 10
    assert jobs.status_of(job)["percent"] == 99


def test_another_users_job_is_404_and_an_administrator_sees_it(book, client, make_user):
    owner = make_user("manager")
    client.force_login(owner)
    job = job_of(ask(client))
    client.force_login(make_user("manager"))
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status.json", f"/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/jobs/{job.pk}/retry/").status_code == 404
    assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()
    administrator = make_user("administrator")
    client.force_login(administrator)
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert download(client, job).startswith(b"%PDF")


def test_two_jobs_at_once_per_user_then_a_thai_message(book, client, make_user):
    user = make_user("manager")
    client.force_login(user)
    with QUEUE_ONLY:
        job_of(ask(client))
        job_of(ask(client))
        refused = ask(client)
    assert refused.status_code == 429
    assert "ท่านมีงานที่กำลังดำเนินการอยู่ 2 งาน" in refused.content.decode()
    assert Job.objects.filter(owner=user).count() == 2
    # Another user is not held back by this one's jobs.
    client.force_login(make_user("manager"))
    assert job_of(ask(client)).status == Job.Status.DONE


def test_the_job_checks_rights_again_when_it_runs(book, client, make_user):
    owner, _indicators = book
    reporter = make_user("reporter", agencies=[owner])
    client.force_login(reporter)
    with QUEUE_ONLY:
        job = job_of(ask(client))
    reporter.agencies.clear()  # moved to another agency before a worker took the job
    tasks.make_book.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "ท่านไม่มีสิทธิ์พิมพ์ตัวชี้วัดของหน่วยงานนี้"
    assert not job.file_name


def test_a_failure_shows_a_thai_message_and_retry_makes_the_book(book, client, make_user, monkeypatch):
    client.force_login(make_user("manager"))

    def broken(indicators):
        raise OSError("disk full")

    monkeypatch.setattr(printing, "lay_out_sheets", broken)
    job = job_of(ask(client))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "สั่งใหม่" in job.error
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert job.error.replace('"', "&quot;") in page and f'action="/jobs/{job.pk}/retry/"' in page
    monkeypatch.undo()
    response = client.post(f"/jobs/{job.pk}/retry/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and not job.error
    assert download(client, job).startswith(b"%PDF")


# --- the sheet cache ---------------------------------------------------------

def test_reprinting_unchanged_reuses_sheets_and_a_narrative_change_lays_out_only_that_sheet(
        book, client, make_user, monkeypatch):
    _owner, indicators = book
    client.force_login(make_user("manager"))
    laid_out = []
    real = printing.lay_out_sheets
    monkeypatch.setattr(printing, "lay_out_sheets", lambda run: laid_out.append([i.code for i in run]) or real(run))
    first = download(client, job_of(ask(client)))
    assert sorted(sum(laid_out, [])) == sorted(i.code for i in indicators)
    for indicator in indicators:
        indicator.refresh_from_db()
    keys = {i.pk: sheet_pdfs.cache_key(i) for i in indicators}

    laid_out.clear()
    client.force_login(make_user("manager"))  # someone else, another stamp
    again = download(client, job_of(ask(client)))
    assert laid_out == []  # every sheet from the cache
    assert len(page_texts(again)) == len(page_texts(first))

    narrative = Narrative.objects.get(indicator=indicators[1])
    narrative.text = "รายงานที่แก้ไขแล้ว"
    narrative.save()
    for indicator in indicators:
        indicator.refresh_from_db()
    assert sheet_pdfs.cache_key(indicators[1]) != keys[indicators[1].pk]
    assert sheet_pdfs.cache_key(indicators[0]) == keys[indicators[0].pk]
    changed = download(client, job_of(ask(client)))
    assert laid_out == [[indicators[1].code]]
    assert thai_normal("รายงานที่แก้ไขแล้ว") in thai_normal("".join(page_texts(changed)))


def test_the_stamp_is_not_in_the_cached_sheet(book, make_user):
    _owner, indicators = book
    from reports.sheet import with_sheet_relations

    indicator = with_sheet_relations().get(pk=indicators[0].pk)
    stamped = printing.render_sheet_pdf(indicator, printing.stamp_for(make_user("manager")))
    cached = Path(sheet_pdfs._path(indicator)).read_bytes()
    assert "พิมพ์เมื่อ" not in "".join(page_texts(cached))
    assert "พิมพ์เมื่อ" in "".join(page_texts(stamped))


def test_a_job_book_equals_the_book_laid_out_directly(book, client, make_user):
    owner, indicators = book
    user = make_user("manager")
    client.force_login(user)
    job_pdf = download(client, job_of(ask(client)))  # sheets from parallel runs, then the cache
    from indicators.models import Indicator
    from reports.sheet import with_sheet_relations

    direct = printing.render_book_pdf(
        list(with_sheet_relations(Indicator.objects.filter(owner=owner)).order_by("code")),
        printing.stamp_for(user), "รายละเอียดตัวชี้วัด ปีงบประมาณ 2570", "หน่วยงาน " + f"{owner.name} (สทน.)",
    )
    assert outline_titles(job_pdf) == outline_titles(direct)
    assert contents_links(job_pdf) == contents_links(direct)

    def without_stamp(pdf):
        return [thai_normal(page.split("พิมพ์เมื่อ")[0]) for page in page_texts(pdf)]

    assert without_stamp(job_pdf) == without_stamp(direct)


# --- dead workers and cleanup -------------------------------------------------

def test_a_job_whose_worker_died_is_requeued_then_failed(book, client, make_user):
    client.force_login(make_user("manager"))
    with QUEUE_ONLY:
        job = job_of(ask(client))
    # A worker took it, laid out part of it, and was killed: no heartbeat since.
    stale = timezone.now() - datetime.timedelta(minutes=30)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1, done=1, total=3,
                                              runs_left=2, started_at=stale, heartbeat_at=stale)
    # The job page's polling notices it and queues it again: this time it finishes.
    status = client.get(f"/jobs/{job.pk}/status.json").json()
    assert status["status"] == "done"
    job.refresh_from_db()
    assert job.attempts == 2 and job.file_name  # the killed try and the one that finished

    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=jobs.MAX_ATTEMPTS,
                                              heartbeat_at=stale)
    call_command("cleanup_jobs", stdout=open(os.devnull, "w"))
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "หยุดกลางคัน" in job.error
    # A running job that still beats is left alone.
    fresh = Job.objects.create(owner=job.owner, kind="book", status=Job.Status.RUNNING,
                                    heartbeat_at=timezone.now())
    assert jobs.recover_stuck() == []
    fresh.refresh_from_db()
    assert fresh.status == Job.Status.RUNNING


def test_runs_left_from_a_dead_try_do_not_start_the_assembly(book, client, make_user):
    """A worker died under try 1 with runs still queued; the job was queued
    again and try 2 fanned out its own runs. A run of try 1 that a worker
    picks up late must neither count as one of try 2's runs nor assemble
    the book before them."""
    from django_tasks import default_task_backend

    client.force_login(make_user("manager"))
    with QUEUE_ONLY:
        job = job_of(ask(client))
        tasks.make_book.call(job.pk)  # try 1 fans out; its runs stay queued
        first_try = [result for result in default_task_backend.results if result.task.name == "lay_out_run"]
        stale = timezone.now() - datetime.timedelta(minutes=30)
        Job.objects.filter(pk=job.pk).update(heartbeat_at=stale)
        assert jobs.recover_stuck() == [job.pk]
        tasks.make_book.call(job.pk)  # try 2
        job.refresh_from_db()
        assert job.attempts == 2 and job.runs_left >= 2
        runs_left = job.runs_left
        default_task_backend.clear()

        for old_run in first_try:
            tasks.lay_out_run.call(*old_run.args)
        job.refresh_from_db()
        assert (job.status, job.runs_left) == (Job.Status.RUNNING, runs_left)
        assert default_task_backend.results == []  # no assembly queued
        tasks.assemble_book.call(job.pk, 1)  # an assembly queued by try 1
        job.refresh_from_db()
        assert job.status == Job.Status.RUNNING and not job.file_name


def test_expired_jobs_are_deleted_with_their_files(book, client, make_user, settings):
    client.force_login(make_user("manager"))
    old, recent = job_of(ask(client)), job_of(ask(client))
    old_file = jobs.job_file(old)
    assert old_file.is_file()
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    settings.PRINT_JOB_KEEP_DAYS = 7
    call_command("cleanup_jobs", stdout=open(os.devnull, "w"))
    assert not Job.objects.filter(pk=old.pk).exists() and not old_file.exists()
    assert Job.objects.filter(pk=recent.pk).exists() and jobs.job_file(recent).is_file()


def test_a_book_asked_for_in_english_is_laid_out_in_english_by_the_worker(book, client, make_user):
    client.force_login(make_user("manager"))
    with QUEUE_ONLY:
        job = job_of(client.post("/en" + JOB_URL, {"year": 2570, "agency": "7700"}))
    assert job.params["language"] == "en"
    with translation.override("th"):  # a worker: no request, the default language
        tasks.make_book.call(job.pk)
    text = " ".join(page_texts(download(client, job)))
    assert "Results against targets by quarter" in text and "Contents" in text
    assert "ผลงานเทียบกับเป้าหมายรายไตรมาส" not in text and "สารบัญ" not in text
