"""The year setup's background work (jobs/): an uploaded workbook's dry
run or import, and the rollover to the next year, as tasks of Django's
Tasks API run by `manage.py db_worker`."""

import datetime
import logging
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _
from django_tasks import task

from indicators import permissions
from jobs import worker
from jobs.models import Job
from jobs.worker import in_job_language

from . import job_kinds
from .rollover import RolloverRefused, rollover
from .workbook import files, service

log = logging.getLogger(__name__)


@task()
@in_job_language
def import_workbook(job_pk: int) -> None:
    """The dry run of an uploaded workbook (import_check) or its import
    (import_apply, which checks it all again first and writes all or
    nothing), as its owner if they are still an administrator."""
    job = worker.job_in(job_pk, Job.Status.QUEUED)
    if job is None:
        return
    if not permissions.is_administrator(job.owner):
        worker.fail(job_pk, _("ท่านไม่มีสิทธิ์นำเข้าข้อมูลแล้ว"))
        return
    params = job.params
    try:
        worker.begin(job, total=100)
        content, name = files.load(str(params.get("token", "")), owner_id=job.owner_id)
        summary = service.run(
            content, file_name=name, user=job.owner, year=params.get("year"),
            apply=job.kind == job_kinds.IMPORT_APPLY,
            allow_scored_target_change=bool(params.get("allow_scored_target_change")),
            base_url=str(params.get("base_url", "")), on_progress=lambda n: worker.beat(job_pk, n),
        )
    except files.WorkbookRefused as refusal:
        worker.fail(job_pk, str(refusal))
        return
    except IntegrityError:
        # Someone else wrote the same codes between the check and the write.
        worker.fail(job_pk, _("ข้อมูลในระบบถูกเปลี่ยนระหว่างนำเข้า ระบบไม่ได้บันทึกข้อมูลใด ๆ "
                              "กรุณาอัปโหลดไฟล์เพื่อตรวจสอบใหม่"))
        return
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    # Links are secrets: the page says who has none, the links are never stored.
    summary["unmailed"] = [username for username, _link in summary.pop("links", [])]
    worker.finish(job, summary)


def rollover_params(*, source: int, carry_targets: bool,
                    windows: dict[int, tuple[datetime.date, datetime.date]],
                    carry_projects: bool = True) -> dict[str, Any]:
    """What the rollover form chose, as a job keeps it (JSON)."""
    return {"source": source, "carry_targets": carry_targets, "carry_projects": carry_projects,
            "windows": {str(n): [opens.isoformat(), closes.isoformat()] for n, (opens, closes) in windows.items()}}


@task()
@in_job_language
def roll_over(job_pk: int) -> None:
    """The next fiscal year started from the one chosen (yearsetup/rollover.py),
    as its owner if they are still an administrator."""
    job = worker.job_in(job_pk, Job.Status.QUEUED)
    if job is None:
        return
    if not permissions.is_administrator(job.owner):
        worker.fail(job_pk, _("ท่านไม่มีสิทธิ์เริ่มปีงบประมาณใหม่แล้ว"))
        return
    params = job.params
    windows = {int(n): (datetime.date.fromisoformat(opens), datetime.date.fromisoformat(closes))
               for n, (opens, closes) in params.get("windows", {}).items()}
    try:
        worker.begin(job, total=1)
        rolled = rollover(source=int(params["source"]), user=job.owner,
                          carry_targets=bool(params.get("carry_targets")), windows=windows,
                          # A job queued before the option existed carries them, as the form's default.
                          carry_projects=bool(params.get("carry_projects", True)))
    except RolloverRefused as refusal:
        worker.fail(job_pk, str(refusal))
        return
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    worker.finish(job, {"year": rolled.year, "created": rolled.created, "already_there": rolled.already_there,
                        "quarters_created": rolled.quarters_created, "projects_created": rolled.projects_created,
                        "projects_already_there": rolled.projects_already_there})
