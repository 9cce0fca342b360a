"""The jobs app: every feature's kinds registered with a task, the app
importing none of them, one list of every kind, the old addresses
redirecting, and the cleanup reaching what the features keep for jobs."""

import ast
import datetime
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from jobs import kinds, services, signals
from jobs.models import Job

pytestmark = pytest.mark.django_db

JOBS_DIR = Path(__file__).resolve().parent.parent
# Every kind the features start today; their rows must keep a registered kind.
KINDS = {"book", "quarterly_xlsx", "quarterly_csv", "list_csv", "list_xlsx", "workbook_xlsx",
         "import_check", "import_apply", "rollover"}


def test_every_kind_in_use_is_registered_with_a_task_and_a_label():
    registered = {kind.name: kind for kind in kinds.registered()}
    assert KINDS <= set(registered)
    for kind in registered.values():
        assert callable(getattr(kind.task, "enqueue", None)), kind.name
        assert str(kind.label) and str(kind.label) != kind.name


def test_the_jobs_app_imports_no_feature():
    allowed = {"django", "django_tasks", "indicators", "jobs", "pytest", "tests"}
    stdlib = {"ast", "datetime", "functools", "logging", "math", "os", "collections", "dataclasses", "pathlib",
              "typing"}
    for path in JOBS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed | stdlib, f"{path.relative_to(JOBS_DIR)} imports {name}"


def test_an_unknown_kind_is_shown_by_its_name_and_never_started(make_user):
    owner = make_user("manager")
    job = Job.objects.create(owner=owner, kind="gone_kind", title="old")
    assert job.kind_label == "gone_kind" and job.result_url is None
    with pytest.raises(ValueError):
        services.start(user=owner, kind="gone_kind", params={}, title="x")


def test_a_kind_cannot_be_registered_twice_differently():
    book = kinds.get("book")
    with pytest.raises(ValueError):
        kinds.register(kinds.JobKind("book", "another book", task=book.task))
    assert kinds.register(book) is book


def test_my_background_jobs_lists_every_kind_with_its_label_and_only_mine(client, make_user):
    me, other = make_user("manager"), make_user("manager")
    mine = [Job.objects.create(owner=me, kind=name, title=f"งาน {name}", status=Job.Status.DONE) for name in KINDS]
    theirs = Job.objects.create(owner=other, kind="book", title="ของคนอื่น")
    client.force_login(me)
    page = client.get("/jobs/").content.decode()
    assert "งานเบื้องหลังของฉัน" in page and "งานพิมพ์ของฉัน" not in page
    for job in mine:
        assert job.title in page and str(kinds.get(job.kind).label) in page
    assert theirs.title not in page
    assert client.get(f"/jobs/{theirs.pk}/").status_code == 404
    assert client.get(f"/jobs/{theirs.pk}/status.json").status_code == 404


def test_an_administrator_opens_anyones_job(client, make_user):
    job = Job.objects.create(owner=make_user("manager"), kind="book", title="เล่ม")
    client.force_login(make_user("administrator"))
    assert client.get(f"/jobs/{job.pk}/").status_code == 200


def test_the_old_addresses_redirect_permanently_keeping_the_method(client, make_user):
    me = make_user("manager")
    job = Job.objects.create(owner=me, kind="book", status=Job.Status.FAILED, error="x")
    client.force_login(me)
    for old, new in (("/reports/jobs/", "/jobs/"), (f"/reports/jobs/{job.pk}/", f"/jobs/{job.pk}/"),
                     (f"/reports/jobs/{job.pk}/status.json?t=1", f"/jobs/{job.pk}/status.json?t=1"),
                     (f"/reports/jobs/{job.pk}/download/", f"/jobs/{job.pk}/download/")):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
    response = client.post(f"/reports/jobs/{job.pk}/retry/")
    assert (response.status_code, response["Location"]) == (308, f"/jobs/{job.pk}/retry/")
    # Signed out, the old address leads to the new one, which asks to sign in.
    client.logout()
    moved = client.get(f"/reports/jobs/{job.pk}/", follow=True)
    assert moved.redirect_chain[0] == (f"/jobs/{job.pk}/", 301)
    assert moved.redirect_chain[-1][0].startswith("/accounts/login/?next=/jobs/")


def test_a_job_that_wants_a_new_start_is_not_retried(client, make_user):
    admin = make_user("administrator")
    job = Job.objects.create(owner=admin, kind="import_check", status=Job.Status.FAILED, error="ไฟล์เสีย")
    with pytest.raises(services.JobRefused):
        services.retry(user=admin, job=job)
    client.force_login(admin)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "อัปโหลดไฟล์ใหม่" in page and f"/jobs/{job.pk}/retry/" not in page


def test_cleanup_deletes_expired_jobs_with_their_files_and_tells_the_features(make_user, settings, tmp_path):
    settings.PRINT_JOBS_DIR = str(tmp_path / "jobs")
    settings.PRINT_CACHE_DIR = str(tmp_path / "cache")
    owner = make_user("manager")
    old, recent = (Job.objects.create(owner=owner, kind="book", status=Job.Status.DONE, file_name=f"job-{n}.pdf")
                   for n in (1, 2))
    Job.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    for job in (old, recent):
        services.job_file(job).parent.mkdir(parents=True, exist_ok=True)
        services.job_file(job).write_bytes(b"%PDF")
    cache = Path(settings.PRINT_CACHE_DIR)
    cache.mkdir()
    (cache / "stale.pdf").write_bytes(b"%PDF")
    (cache / "fresh.pdf").write_bytes(b"%PDF")
    month_ago = (timezone.now() - datetime.timedelta(days=30)).timestamp()
    os.utime(cache / "stale.pdf", (month_ago, month_ago))
    heard = []

    def listener(before, **kwargs):
        heard.append(before)

    signals.cleanup_due.connect(listener)
    try:
        call_command("cleanup_print_jobs", stdout=open(os.devnull, "w"))  # the old name still works
    finally:
        signals.cleanup_due.disconnect(listener)
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not services.job_file(old).exists() and services.job_file(recent).exists()
    assert sorted(path.name for path in cache.iterdir()) == ["fresh.pdf"]  # the reports' receiver ran
    assert len(heard) == 1 and heard[0] < timezone.now() - datetime.timedelta(days=settings.PRINT_JOB_KEEP_DAYS - 1)


def test_the_rollover_runs_as_a_job_of_its_owner(client, make_user):
    from tests.factories import FiscalYearFactory

    FiscalYearFactory(year=2571)
    admin = make_user("administrator")
    client.force_login(admin)
    response = client.post("/indicators/rollover/", {"source": 2571, "carry_targets": "on"})
    job = Job.objects.get(kind="rollover")
    assert response["Location"] == f"/indicators/rollover/{job.pk}/"
    assert job.owner == admin and job.status == Job.Status.DONE and job.result["year"] == 2572
    done = client.get(response["Location"])
    assert done["Location"] == "/?year=2572"
    listed = client.get("/jobs/").content.decode()
    assert "เริ่มปีงบประมาณใหม่จากปีเดิม" in listed and f"/indicators/rollover/{job.pk}/" in listed
