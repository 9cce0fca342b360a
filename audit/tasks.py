"""The audit log's export as a background job, over EXPORT_JOB_ROWS rows."""

from django.http import QueryDict
from django.utils.translation import gettext as _
from django_tasks import task

from jobs import worker
from jobs.models import Job
from jobs.worker import in_job_language

from . import exports, log
from .forms import AuditFilterForm

AUDIT_XLSX = "audit_xlsx"


@task()
@in_job_language
def make_audit_xlsx(job_pk: int) -> None:
    """The filtered log, made for its owner if they may still read it."""
    job = worker.job_in(job_pk, Job.Status.QUEUED)
    if job is None:
        return
    try:
        if not log.may_read(job.owner):
            worker.fail(job_pk, _("ท่านไม่มีสิทธิ์ดูบันทึกการเปลี่ยนแปลงแล้ว"))
            return
        query = QueryDict(mutable=True)
        query.update({k: v for k, v in job.params.items() if k != "language"})
        filters = AuditFilterForm(query).filters()
        worker.begin(job, total=log.entries(filters).count())
        worker.succeed(job, exports.xlsx(filters, job.owner, lambda n: worker.beat(job_pk, n)))
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
