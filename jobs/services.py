"""Starting jobs and reading them: asking answers at once with a job; the
job page follows its progress; its owner (or an administrator) downloads
the file. Every refusal is a JobRefused with a Thai message. What a worker
writes as it goes is in jobs/worker.py."""

import datetime
import math
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.permissions import AnyUser

from . import kinds, signals
from .models import Job

ACTIVE = (Job.Status.QUEUED, Job.Status.RUNNING)
# A job is tried this many times in all when its worker dies under it.
MAX_ATTEMPTS = 2


class JobRefused(Exception):
    """A job that may not start (or restart), with the Thai reason."""


def _pk(user: AnyUser) -> int:
    if user.pk is None:
        raise JobRefused(_("กรุณาเข้าสู่ระบบ"))
    return int(user.pk)


def job_for(user: AnyUser, pk: int) -> Job:
    """The job if this user may see it: its owner, or an administrator.
    Anyone else gets 404, as if it did not exist."""
    job = Job.objects.filter(pk=pk).first()
    if job is None or not (job.owner_id == user.pk or permissions.is_administrator(user)):
        raise Http404
    return job


def jobs_of(user: AnyUser) -> list[Job]:
    return list(Job.objects.filter(owner_id=user.pk)[:50])


def _check_limit(user: AnyUser) -> None:
    # Locking the user's row makes two requests at the same moment count in turn.
    get_user_model().objects.select_for_update().filter(pk=_pk(user)).first()
    running = Job.objects.filter(owner_id=user.pk, status__in=ACTIVE).count()
    if running >= settings.PRINT_JOBS_PER_USER:
        raise JobRefused(
            _("ท่านมีงานที่กำลังดำเนินการอยู่ %(n)s งาน ซึ่งเป็นจำนวนสูงสุดที่ทำพร้อมกันได้ "
              "กรุณารอให้งานใดงานหนึ่งเสร็จก่อน แล้วจึงสั่งใหม่") % {"n": running}
        )


def start(*, user: AnyUser, kind: str, params: dict[str, Any], title: str, download_name: str = "") -> Job:
    """A job of this (registered) kind for what was asked, already validated
    as `user`, queued for a worker; refused beyond the user's limit of running jobs."""
    if isinstance(kinds.get(kind), kinds.UnknownKind):
        raise ValueError(f"job kind {kind!r} is not registered")
    with transaction.atomic():
        _check_limit(user)
        job = Job.objects.create(
            owner_id=_pk(user), kind=kind, title=title, download_name=download_name,
            # The worker does the work in the language of the page that asked.
            params={**params, "language": translation.get_language() or settings.LANGUAGE_CODE},
        )
    enqueue(job)
    return job


def enqueue(job: Job) -> None:
    kinds.get(job.kind).task.enqueue(job.pk)


def retry(*, user: AnyUser, job: Job) -> Job:
    """A failed job queued again, as its owner, within the same limit."""
    if job.status != Job.Status.FAILED:
        raise JobRefused(_("งานนี้ไม่ได้ล้มเหลว จึงไม่ต้องสั่งใหม่"))
    if job.kind_info.restart_page:
        raise JobRefused(_("งานชนิดนี้สั่งซ้ำไม่ได้ กรุณาเริ่มใหม่"))
    with transaction.atomic():
        _check_limit(job.owner)
        reset(job)
        job.attempts = 0
        job.save()
    enqueue(job)
    return job


def reset(job: Job) -> None:
    job.status = Job.Status.QUEUED
    job.done = job.runs_left = 0
    job.error = ""
    job.started_at = job.heartbeat_at = job.finished_at = None


def job_file(job: Job) -> Path:
    return Path(settings.PRINT_JOBS_DIR) / job.file_name


def tell_owner(job_pk: int) -> None:
    signals.job_finished.send(sender=Job, job_pk=job_pk)


# --- what the job page shows ----------------------------------------------------

def seconds_left(job: Job) -> int | None:
    """From the pace so far; None before there is one."""
    if job.status != Job.Status.RUNNING or not job.started_at or not job.done or job.done >= job.total:
        return None
    elapsed = (timezone.now() - job.started_at).total_seconds()
    return math.ceil(elapsed / job.done * (job.total - job.done))


def percent(job: Job) -> int:
    """Steps done; 99 at most until the file is written: a book's assembly
    after the last sheet still takes seconds."""
    if job.status == Job.Status.DONE:
        return 100
    if not job.total:
        return 0
    return min(99, math.floor(job.done * 100 / job.total))


def status_of(job: Job) -> dict[str, Any]:
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
        stuck = Job.objects.select_for_update().filter(status=Job.Status.RUNNING, heartbeat_at__lt=limit)
        for job in stuck:
            touched.append(job.pk)
            if job.attempts < MAX_ATTEMPTS:
                reset(job)
                job.save()
                requeue.append(job)
            else:
                job.status = Job.Status.FAILED
                job.finished_at = now
                job.error = _("งานหยุดกลางคันเพราะเครื่องที่ประมวลผลหยุดทำงาน (ลองแล้ว %(n)s ครั้ง) "
                              "กรุณากด \"สั่งใหม่\" หรือแจ้งผู้ดูแลระบบ") % {"n": job.attempts}
                job.save()
                failed.append(job.pk)
    for job in requeue:
        enqueue(job)
    for pk in failed:
        tell_owner(pk)
    return touched


def delete_expired(now: datetime.datetime | None = None) -> int:
    """Finished jobs older than PRINT_JOB_KEEP_DAYS, with their files; then
    each feature deletes what it keeps for jobs unused as long
    (signals.cleanup_due). Returns the number of jobs deleted."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.PRINT_JOB_KEEP_DAYS)
    expired = Job.objects.filter(created_at__lt=limit).exclude(status__in=ACTIVE)
    count = 0
    for job in expired:
        if job.file_name:
            job_file(job).unlink(missing_ok=True)
        job.delete()
        count += 1
    signals.cleanup_due.send(sender=Job, before=limit)
    return count
