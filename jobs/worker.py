"""What a job's tasks write as they go, and the helpers every kind's task
uses: the job fetched only while still in the state the task expects, the
language of the page that asked, and one way to fail unexpectedly."""

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation

from . import kinds
from .models import Job
from .services import tell_owner

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


def job_in(job_pk: int, status: str, attempt: int | None = None) -> Job | None:
    """The job if it is still in `status` (not deleted, failed or taken by
    another worker) and, for a sub-task, still at the try that queued it;
    with its owner."""
    found = Job.objects.select_related("owner").filter(pk=job_pk, status=status)
    if attempt is not None:
        found = found.filter(attempts=attempt)
    return found.first()


def in_job_language(func: Callable[Concatenate[int, P], R]) -> Callable[Concatenate[int, P], R]:
    """Runs a job's task in the language of the page that started it (a
    worker has no request), so the file follows the chosen language."""

    @functools.wraps(func)
    def run(job_pk: int, *args: P.args, **kwargs: P.kwargs) -> R:
        language = Job.objects.filter(pk=job_pk).values_list("params__language", flat=True).first()
        with translation.override(language or settings.LANGUAGE_CODE):
            return func(job_pk, *args, **kwargs)

    return run


def failed_unexpectedly(job_pk: int) -> None:
    """Called from an `except Exception` in a task: logged with its
    traceback, and the owner reads the kind's own message."""
    log.exception("job %s failed", job_pk)
    kind = Job.objects.filter(pk=job_pk).values_list("kind", flat=True).first()
    if kind is not None:
        fail(job_pk, str(kinds.get(kind).failed_message))


def begin(job: Job, *, total: int, done: int = 0, runs: int = 0) -> int:
    """Marks the job running; returns this try's number, which its sub-tasks
    carry so that those of an earlier, abandoned try do nothing."""
    now = timezone.now()
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.RUNNING, total=total, done=done, runs_left=runs,
            attempts=F("attempts") + 1, started_at=now, heartbeat_at=now, error="",
        )
        return int(Job.objects.values_list("attempts", flat=True).get(pk=job.pk))


def is_current(job_pk: int, attempt: int) -> bool:
    """The job is running this try: not deleted, failed, done, or queued
    again after its worker died."""
    return Job.objects.filter(pk=job_pk, status=Job.Status.RUNNING, attempts=attempt).exists()


def beat(job_pk: int, done: int = 0) -> None:
    Job.objects.filter(pk=job_pk).update(done=F("done") + done, heartbeat_at=timezone.now())


def run_finished(job_pk: int, attempt: int) -> bool:
    """One of this try's parallel runs is done; True for the last of them.
    A run left from an earlier try counts for nothing: it must not start
    what follows while the current try's runs are still going."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_pk).first()
        if job is None or job.attempts != attempt or job.status != Job.Status.RUNNING:
            return False
        job.runs_left = max(0, job.runs_left - 1)
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["runs_left", "heartbeat_at"])
        return job.runs_left == 0


def succeed(job: Job, content: bytes) -> None:
    """Done, with its file."""
    directory = Path(settings.PRINT_JOBS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    name = f"job-{job.pk}-{timezone.now():%Y%m%d%H%M%S}.{Path(job.download_name).suffix.lstrip('.')}"
    (directory / name).write_bytes(content)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, file_name=name, done=F("total"), runs_left=0,
        finished_at=timezone.now(), heartbeat_at=timezone.now(),
    )
    tell_owner(job.pk)


def finish(job: Job, result: dict[str, Any]) -> None:
    """Done, for a job whose outcome is `result` rather than a file."""
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.DONE, result=result, done=F("total"), runs_left=0,
        finished_at=timezone.now(), heartbeat_at=timezone.now(),
    )
    tell_owner(job.pk)


def fail(job_pk: int, message: str) -> None:
    Job.objects.filter(pk=job_pk).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now(), runs_left=0
    )
    tell_owner(job_pk)
