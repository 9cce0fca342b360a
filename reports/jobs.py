"""Print jobs: books (and later other long work) made by task workers
instead of inside a web request. Asking answers at once with a job; the
job page follows its progress; its owner (or an administrator) downloads
the file. Every refusal is a JobRefused with a Thai message."""

import datetime
import math
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.permissions import AnyUser

from .models import PrintJob

ACTIVE = (PrintJob.Status.QUEUED, PrintJob.Status.RUNNING)
# A job is tried this many times in all when its worker dies under it.
MAX_ATTEMPTS = 2


def _pk(user: AnyUser) -> int:
    if user.pk is None:
        raise JobRefused(_("กรุณาเข้าสู่ระบบ"))
    return int(user.pk)


class JobRefused(Exception):
    """A job that may not start (or restart), with the Thai reason."""


def job_for(user: AnyUser, pk: int) -> PrintJob:
    """The job if this user may see it: its owner, or an administrator.
    Anyone else gets 404, as if it did not exist."""
    job = PrintJob.objects.filter(pk=pk).first()
    if job is None or not (job.owner_id == user.pk or permissions.is_administrator(user)):
        raise Http404
    return job


def jobs_of(user: AnyUser) -> list[PrintJob]:
    return list(PrintJob.objects.filter(owner_id=user.pk)[:50])


def _check_limit(user: AnyUser) -> None:
    # Locking the user's row makes two requests at the same moment count in turn.
    get_user_model().objects.select_for_update().filter(pk=_pk(user)).first()
    running = PrintJob.objects.filter(owner_id=user.pk, status__in=ACTIVE).count()
    if running >= settings.PRINT_JOBS_PER_USER:
        raise JobRefused(
            _("ท่านมีงานที่กำลังดำเนินการอยู่ %(n)s งาน ซึ่งเป็นจำนวนสูงสุดที่ทำพร้อมกันได้ "
              "กรุณารอให้งานใดงานหนึ่งเสร็จก่อน แล้วจึงสั่งใหม่") % {"n": running}
        )


def start(*, user: AnyUser, kind: str, params: dict[str, Any], title: str, download_name: str) -> PrintJob:
    """A job of this kind for what was asked (already validated as user),
    queued for a worker; refused beyond the user's limit of running jobs."""
    with transaction.atomic():
        _check_limit(user)
        job = PrintJob.objects.create(
            owner_id=_pk(user), kind=kind, title=title, download_name=download_name,
            # The worker lays out the file in the language of the page that asked.
            params={**params, "language": translation.get_language() or settings.LANGUAGE_CODE},
        )
    _enqueue(job)
    return job


def _enqueue(job: PrintJob) -> None:
    from . import tasks

    tasks.FIRST_TASK[PrintJob.Kind(job.kind)].enqueue(job.pk)


def retry(*, user: AnyUser, job: PrintJob) -> PrintJob:
    """A failed job queued again, as its owner, within the same limit."""
    if job.status != PrintJob.Status.FAILED:
        raise JobRefused(_("งานนี้ไม่ได้ล้มเหลว จึงไม่ต้องสั่งใหม่"))
    with transaction.atomic():
        _check_limit(job.owner)
        _reset(job)
        job.attempts = 0
        job.save()
    _enqueue(job)
    return job


def _reset(job: PrintJob) -> None:
    job.status = PrintJob.Status.QUEUED
    job.done = job.runs_left = 0
    job.error = ""
    job.started_at = job.heartbeat_at = job.finished_at = None


# --- what the worker writes -------------------------------------------------

def begin(job: PrintJob, *, total: int, done: int = 0, runs: int = 0) -> int:
    """Marks the job running; returns this try's number, which its sub-tasks
    carry so that those of an earlier, abandoned try do nothing."""
    now = timezone.now()
    with transaction.atomic():
        PrintJob.objects.filter(pk=job.pk).update(
            status=PrintJob.Status.RUNNING, total=total, done=done, runs_left=runs,
            attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, error="",
        )
        return int(PrintJob.objects.values_list("attempts", flat=True).get(pk=job.pk))


def is_current(job_pk: int, attempt: int) -> bool:
    """The job is running this try: not deleted, failed, done, or queued
    again after its worker died."""
    return PrintJob.objects.filter(pk=job_pk, status=PrintJob.Status.RUNNING, attempts=attempt).exists()


def beat(job_pk: int, done: int = 0) -> None:
    PrintJob.objects.filter(pk=job_pk).update(done=F("done") + done, heartbeat_at=timezone.now())


def run_finished(job_pk: int, attempt: int) -> bool:
    """One run of sheets of this try is laid out; True for the last of its
    runs. A run left from an earlier try counts for nothing: it must not
    start the assembly while the current try's runs are still going."""
    with transaction.atomic():
        job = PrintJob.objects.select_for_update().filter(pk=job_pk).first()
        if job is None or job.attempts != attempt or job.status != PrintJob.Status.RUNNING:
            return False
        job.runs_left = max(0, job.runs_left - 1)
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["runs_left", "heartbeat_at"])
        return job.runs_left == 0


def job_file(job: PrintJob) -> Path:
    return Path(settings.PRINT_JOBS_DIR) / job.file_name


def succeed(job: PrintJob, content: bytes) -> None:
    directory = Path(settings.PRINT_JOBS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"job-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.{Path(job.download_name).suffix.lstrip('.')}"
    (directory / name).write_bytes(content)
    PrintJob.objects.filter(pk=job.pk).update(
        status=PrintJob.Status.DONE, file_name=name, done=F("total"), runs_left=0,
        finished_at=timezone.now(), heartbeat_at=timezone.now(),
    )
    _tell_owner(job.pk)


def finish(job: PrintJob, result: dict[str, Any]) -> None:
    """Done, for a job whose outcome is `result` rather than a file."""
    PrintJob.objects.filter(pk=job.pk).update(
        status=PrintJob.Status.DONE, result=result, done=F("total"), runs_left=0,
        finished_at=timezone.now(), heartbeat_at=timezone.now(),
    )
    _tell_owner(job.pk)


def fail(job_pk: int, message: str) -> None:
    PrintJob.objects.filter(pk=job_pk).update(
        status=PrintJob.Status.FAILED, error=message, finished_at=timezone.now(), runs_left=0
    )
    _tell_owner(job_pk)


def _tell_owner(job_pk: int) -> None:
    from notifications import events

    events.job_finished(job_pk)


# --- what the job page shows ----------------------------------------------------

def seconds_left(job: PrintJob) -> int | None:
    """From the pace so far; None before there is one."""
    if job.status != PrintJob.Status.RUNNING or not job.started_at or not job.done or job.done >= job.total:
        return None
    elapsed = (timezone.now() - job.started_at).total_seconds()
    return math.ceil(elapsed / job.done * (job.total - job.done))


def percent(job: PrintJob) -> int:
    """Sheets (or rows) done; 99 at most until the file is written: the
    assembly after the last sheet still takes seconds."""
    if job.status == PrintJob.Status.DONE:
        return 100
    if not job.total:
        return 0
    return min(99, math.floor(job.done * 100 / job.total))


def status_of(job: PrintJob) -> dict[str, Any]:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": percent(job),
        "seconds_left": seconds_left(job),
        "error": job.error,
    }


# --- keeping the queue honest ---------------------------------------------------

def recover_stuck(now: datetime.datetime | None = None) -> list[int]:
    """Jobs whose worker died (no heartbeat for PRINT_JOB_STALE_MINUTES):
    queued again if they have tries left, else failed with a message.
    Never left "running" forever. Returns the pks it touched."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.PRINT_JOB_STALE_MINUTES)
    touched, requeue, failed = [], [], []
    with transaction.atomic():
        stuck = PrintJob.objects.select_for_update().filter(status=PrintJob.Status.RUNNING, heartbeat_at__lt=limit)
        for job in stuck:
            touched.append(job.pk)
            if job.attempts < MAX_ATTEMPTS:
                _reset(job)
                job.save()
                requeue.append(job)
            else:
                job.status = PrintJob.Status.FAILED
                job.finished_at = now
                job.error = _("งานหยุดกลางคันเพราะเครื่องที่ประมวลผลหยุดทำงาน (ลองแล้ว %(n)s ครั้ง) "
                              "กรุณากด \"สั่งใหม่\" หรือแจ้งผู้ดูแลระบบ") % {"n": job.attempts}
                job.save()
                failed.append(job.pk)
    for job in requeue:
        _enqueue(job)
    for pk in failed:
        _tell_owner(pk)
    return touched


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Finished jobs older than PRINT_JOB_KEEP_DAYS, with their files,
    cached sheets not used for as long, and expired import uploads.
    Returns the number of jobs deleted."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.PRINT_JOB_KEEP_DAYS)
    expired = PrintJob.objects.filter(created_at__lt=limit).exclude(status__in=ACTIVE)
    count = 0
    for job in expired:
        if job.file_name:
            job_file(job).unlink(missing_ok=True)
        job.delete()
        count += 1
    from yearsetup.workbook import files

    files.delete_expired()
    cache_dir = Path(settings.PRINT_CACHE_DIR)
    if cache_dir.is_dir():
        for path in cache_dir.iterdir():
            if path.stat().st_mtime < limit.timestamp():
                path.unlink(missing_ok=True)
    return count
