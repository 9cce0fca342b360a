"""The background work of print jobs, as tasks of Django's Tasks API
(django-tasks): a book fans out into runs of sheets that workers lay out in
parallel into the sheet cache; the run that finishes last queues the
assembly (front matter, joining, page numbers, stamp) from the cache.
`manage.py db_worker` runs them; settings.TASKS chooses the backend."""

import functools
import logging
import math
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from django.conf import settings
from django.db import IntegrityError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from indicators.models import Indicator

from . import jobs, printing, sheet_pdfs
from .forms import BookFilterForm
from .models import PrintJob
from .sheet import with_sheet_relations

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")
# A book is cut into about this many runs, so two workers share it evenly.
RUNS_PER_BOOK = 4


def _selection(job: PrintJob) -> printing.BookSelection:
    """What the job asks, validated again as its owner now: rights may have
    changed since it was queued."""
    form = BookFilterForm(job.params, user=job.owner)
    if not form.is_valid():
        raise printing.BookRefused(_("เงื่อนไขของเล่มนี้ใช้ไม่ได้แล้ว กรุณาเลือกใหม่"), 400)
    return printing.book_selection(job.owner, form)


def _job(job_pk: int, status: str, attempt: int | None = None) -> PrintJob | None:
    """The job if it is still in `status` (not deleted, failed or taken by
    another worker) and, for a sub-task, still at the try that queued it;
    with its owner."""
    found = PrintJob.objects.select_related("owner").filter(pk=job_pk, status=status)
    if attempt is not None:
        found = found.filter(attempts=attempt)
    return found.first()


def _failed_unexpectedly(job_pk: int) -> None:
    log.exception("print job %s failed", job_pk)
    jobs.fail(job_pk, _("เกิดข้อผิดพลาดระหว่างจัดทำเอกสาร กรุณากด \"สั่งใหม่\" หรือแจ้งผู้ดูแลระบบ"))


def in_job_language(func: Callable[Concatenate[int, P], R]) -> Callable[Concatenate[int, P], R]:
    """Runs a job's task in the language of the page that started it (a
    worker has no request), so the book or table follows the chosen language."""

    @functools.wraps(func)
    def run(job_pk: int, *args: P.args, **kwargs: P.kwargs) -> R:
        language = PrintJob.objects.filter(pk=job_pk).values_list("params__language", flat=True).first()
        with translation.override(language or settings.LANGUAGE_CODE):
            return func(job_pk, *args, **kwargs)

    return run


@task()
@in_job_language
def make_book(job_pk: int) -> None:
    job = _job(job_pk, PrintJob.Status.QUEUED)
    if job is None:  # deleted, or already taken by another worker
        return
    try:
        selection = _selection(job)
    except printing.BookRefused as refusal:
        jobs.fail(job_pk, refusal.message)
        return
    try:
        indicators = list(selection.queryset.order_by("code"))
        missing = [indicator.pk for indicator in indicators if not sheet_pdfs.is_cached(indicator)]
        size = min(printing.BOOK_RUN, max(1, math.ceil(len(missing) / RUNS_PER_BOOK)))
        runs = [missing[first:first + size] for first in range(0, len(missing), size)]
        # Beside the runs, one sub-task measures the front matter and lays out
        # page numbers, so the assembly after the last run has less to do.
        attempt = jobs.begin(job, total=len(indicators), done=len(indicators) - len(missing),
                             runs=len(runs) + 1 if runs else 0)
    except Exception:
        _failed_unexpectedly(job_pk)
        raise
    if not runs:
        assemble_book.enqueue(job_pk, attempt)
        return
    prepare_book.enqueue(job_pk, attempt)
    for run in runs:
        lay_out_run.enqueue(job_pk, attempt, run)


# Pages a seed-like sheet takes at most, to lay out enough page numbers ahead.
PAGES_PER_SHEET = 6


@task()
@in_job_language
def prepare_book(job_pk: int, attempt: int) -> None:
    """The front matter's length and the book's page numbers, beside the runs."""
    job = _job(job_pk, PrintJob.Status.RUNNING, attempt)
    if job is None:
        return
    try:
        selection = _selection(job)
        indicators = list(selection.queryset.select_related("owner").order_by("code"))
        printing.front_length(indicators, selection.title, selection.subtitle)
        for block in range(math.ceil(len(indicators) * PAGES_PER_SHEET / printing.NUMBER_BLOCK)):
            printing.book_numbers(block)
        last = jobs.run_finished(job_pk, attempt)
    except printing.BookRefused as refusal:
        jobs.fail(job_pk, refusal.message)
        return
    except Exception:
        _failed_unexpectedly(job_pk)
        raise
    if last:
        assemble_book.enqueue(job_pk, attempt)


@task()
@in_job_language
def lay_out_run(job_pk: int, attempt: int, indicator_pks: list[int]) -> None:
    """Lays out one run of a book's sheets into the sheet cache."""
    if not jobs.is_current(job_pk, attempt):
        return
    try:
        indicators = list(with_sheet_relations(Indicator.objects.filter(pk__in=indicator_pks)).order_by("code"))
        sheet_pdfs.sheet_pdfs(indicators, on_laid_out=lambda n: jobs.beat(job_pk, n))
        last = jobs.run_finished(job_pk, attempt)
    except Exception:
        _failed_unexpectedly(job_pk)
        raise
    if last:
        assemble_book.enqueue(job_pk, attempt)


@task()
@in_job_language
def assemble_book(job_pk: int, attempt: int) -> None:
    job = _job(job_pk, PrintJob.Status.RUNNING, attempt)
    if job is None:
        return
    try:
        selection = _selection(job)
    except printing.BookRefused as refusal:
        jobs.fail(job_pk, refusal.message)
        return
    try:
        jobs.beat(job_pk)
        pdf = printing.render_book_pdf(
            printing.book_indicators(selection.queryset), printing.stamp_for(job.owner),
            selection.title, selection.subtitle,
        )
        jobs.succeed(job, pdf)
    except Exception:
        _failed_unexpectedly(job_pk)
        raise


@task()
@in_job_language
def make_export(job_pk: int) -> None:
    """A whole-year export (export_jobs.EXPORTS), filtered as asked, of
    what the owner may see now."""
    from . import export_jobs

    job = _job(job_pk, PrintJob.Status.QUEUED)
    if job is None:
        return
    try:
        export_jobs.make(job)
    except Exception:
        _failed_unexpectedly(job_pk)
        raise


@task()
def make_quarterly_xlsx(job_pk: int) -> None:
    """The task quarterly XLSX jobs were queued with before make_export:
    kept so that those still in the queue at an upgrade run."""
    make_export.call(job_pk)


# An import that failed unexpectedly, in the import's words (not a book's):
# the check writes nothing; the import writes the whole file or nothing, but
# mails new users after, so what was saved is worth a look.
IMPORT_FAILED = {
    PrintJob.Kind.IMPORT_CHECK: gettext_lazy("ตรวจสอบไฟล์นำเข้าไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ระบบไม่ได้บันทึกข้อมูลใด ๆ "
                                             "กรุณาอัปโหลดไฟล์อีกครั้ง หากยังไม่สำเร็จ กรุณาแจ้งผู้ดูแลระบบ"),
    PrintJob.Kind.IMPORT_APPLY: gettext_lazy("นำเข้าข้อมูลไม่สำเร็จเพราะเกิดข้อผิดพลาดในระบบ ระบบบันทึกทั้งไฟล์หรือไม่บันทึกเลย "
                                             "กรุณาตรวจดูข้อมูลในระบบก่อนอัปโหลดไฟล์อีกครั้ง หรือแจ้งผู้ดูแลระบบ"),
}


@task()
@in_job_language
def import_workbook(job_pk: int) -> None:
    """The dry run of an uploaded workbook (import_check) or its import
    (import_apply, which checks it all again first and writes all or
    nothing), as its owner if they are still an administrator."""
    from indicators import permissions
    from yearsetup.workbook import files, service

    job = _job(job_pk, PrintJob.Status.QUEUED)
    if job is None:
        return
    if not permissions.is_administrator(job.owner):
        jobs.fail(job_pk, _("ท่านไม่มีสิทธิ์นำเข้าข้อมูลแล้ว"))
        return
    params = job.params
    try:
        jobs.begin(job, total=100)
        content, name = files.load(str(params.get("token", "")), owner_id=job.owner_id)
        summary = service.run(
            content, file_name=name, user=job.owner, year=params.get("year"), apply=job.kind == PrintJob.Kind.IMPORT_APPLY,
            allow_scored_target_change=bool(params.get("allow_scored_target_change")),
            base_url=str(params.get("base_url", "")), on_progress=lambda n: jobs.beat(job_pk, n),
        )
    except files.WorkbookRefused as refusal:
        jobs.fail(job_pk, str(refusal))
        return
    except IntegrityError:
        # Someone else wrote the same codes between the check and the write.
        jobs.fail(job_pk, _("ข้อมูลในระบบถูกเปลี่ยนระหว่างนำเข้า ระบบไม่ได้บันทึกข้อมูลใด ๆ "
                            "กรุณาอัปโหลดไฟล์เพื่อตรวจสอบใหม่"))
        return
    except Exception:
        log.exception("import job %s failed", job_pk)
        jobs.fail(job_pk, str(IMPORT_FAILED[PrintJob.Kind(job.kind)]))
        raise
    # Links are secrets: the page says who has none, the links are never stored.
    summary["unmailed"] = [username for username, _link in summary.pop("links", [])]
    jobs.finish(job, summary)


# The task that starts a job of each kind (a retry or a requeue starts it again).
FIRST_TASK = {
    PrintJob.Kind.BOOK: make_book,
    PrintJob.Kind.QUARTERLY_XLSX: make_export,
    PrintJob.Kind.QUARTERLY_CSV: make_export,
    PrintJob.Kind.LIST_CSV: make_export,
    PrintJob.Kind.LIST_XLSX: make_export,
    PrintJob.Kind.WORKBOOK_XLSX: make_export,
    PrintJob.Kind.IMPORT_CHECK: import_workbook,
    PrintJob.Kind.IMPORT_APPLY: import_workbook,
}
