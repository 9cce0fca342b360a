"""The reports' background work, as tasks of Django's Tasks API
(django-tasks) run for jobs (jobs/): a book fans out into runs of sheets that workers lay out in
parallel into the sheet cache; the run that finishes last queues the
assembly (front matter, joining, page numbers, stamp) from the cache.
`manage.py db_worker` runs them; settings.TASKS chooses the backend."""

import math

from django.utils.translation import gettext as _
from django_tasks import task

from indicators.models import Indicator
from jobs import worker
from jobs.models import Job
from jobs.worker import in_job_language
from projects.models import Project

from . import export_jobs, job_kinds, printing, sheet_pdfs
from .forms import BookFilterForm, ProjectBookForm
from .project_printing import books, pdfs
from .project_printing.sheet import with_project_sheet_relations
from .sheet import with_sheet_relations

# A book is cut into about this many runs, so two workers share it evenly.
RUNS_PER_BOOK = 4


def _selection(job: Job) -> printing.BookSelection:
    """What the job asks, validated again as its owner now: rights may have
    changed since it was queued."""
    form = BookFilterForm(job.params, user=job.owner)
    if not form.is_valid():
        raise printing.BookRefused(_("เงื่อนไขของเล่มนี้ใช้ไม่ได้แล้ว กรุณาเลือกใหม่"), 400)
    return printing.book_selection(job.owner, form)


@task()
@in_job_language
def make_book(job_pk: int) -> None:
    job = worker.job_in(job_pk, Job.Status.QUEUED)
    if job is None:  # deleted, or already taken by another worker
        return
    try:
        selection = _selection(job)
    except printing.BookRefused as refusal:
        worker.fail(job_pk, refusal.message)
        return
    try:
        indicators = list(selection.queryset.order_by("code"))
        missing = [indicator.pk for indicator in indicators if not sheet_pdfs.is_cached(indicator)]
        projects = (books.unique_projects(books.supporting(job.owner, indicators))
                    if selection.with_projects else [])
        missing_projects = [project.pk for project in projects if not pdfs.is_cached(project)]
        runs = _runs(missing)
        project_runs = _runs(missing_projects)
        total = len(indicators) + len(projects)
        # Beside the runs, one sub-task measures the front matter and lays out
        # page numbers, so the assembly after the last run has less to do.
        sub_tasks = len(runs) + len(project_runs)
        attempt = worker.begin(job, total=total, done=total - len(missing) - len(missing_projects),
                               runs=sub_tasks + 1 if sub_tasks else 0)
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    if not sub_tasks:
        assemble_book.enqueue(job_pk, attempt)
        return
    prepare_book.enqueue(job_pk, attempt)
    for run in runs:
        lay_out_run.enqueue(job_pk, attempt, run)
    for run in project_runs:
        lay_out_project_run.enqueue(job_pk, attempt, run)


def _runs(missing: list[int]) -> list[list[int]]:
    """The sheets a job lacks cut into about RUNS_PER_BOOK runs of at most BOOK_RUN."""
    size = min(printing.BOOK_RUN, max(1, math.ceil(len(missing) / RUNS_PER_BOOK)))
    return [missing[first:first + size] for first in range(0, len(missing), size)]


# Pages a seed-like sheet takes at most, to lay out enough page numbers ahead.
PAGES_PER_SHEET = 6


@task()
@in_job_language
def prepare_book(job_pk: int, attempt: int) -> None:
    """The front matter's length and the book's page numbers, beside the runs."""
    job = worker.job_in(job_pk, Job.Status.RUNNING, attempt)
    if job is None:
        return
    try:
        selection = _selection(job)
        indicators = list(selection.queryset.select_related("owner").order_by("code"))
        entries = books.book_entries(job.owner, indicators, selection.with_projects)
        printing.front_length(entries, selection.title, selection.subtitle)
        for block in range(math.ceil(len(entries) * PAGES_PER_SHEET / printing.NUMBER_BLOCK)):
            printing.book_numbers(block)
        last = worker.run_finished(job_pk, attempt)
    except printing.BookRefused as refusal:
        worker.fail(job_pk, refusal.message)
        return
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    if last:
        assemble_book.enqueue(job_pk, attempt)


@task()
@in_job_language
def lay_out_run(job_pk: int, attempt: int, indicator_pks: list[int]) -> None:
    """Lays out one run of a book's sheets into the sheet cache."""
    if not worker.is_current(job_pk, attempt):
        return
    try:
        indicators = list(with_sheet_relations(Indicator.objects.filter(pk__in=indicator_pks)).order_by("code"))
        printing.sheets(indicators, on_laid_out=lambda n: worker.beat(job_pk, n))
        last = worker.run_finished(job_pk, attempt)
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    if last:
        assemble_book.enqueue(job_pk, attempt)


@task()
@in_job_language
def lay_out_project_run(job_pk: int, attempt: int, project_pks: list[int]) -> None:
    """Lays out one run of project sheets into the sheet cache, for a book
    with projects or a project book; the last run queues its assembly."""
    if not worker.is_current(job_pk, attempt):
        return
    try:
        projects = list(with_project_sheet_relations(Project.objects.filter(pk__in=project_pks)).order_by("code"))
        pdfs.project_sheets(projects, on_laid_out=lambda n: worker.beat(job_pk, n))
        last = worker.run_finished(job_pk, attempt)
        project_book = Job.objects.filter(pk=job_pk, kind=job_kinds.PROJECT_BOOK).exists()
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    if last:
        (assemble_project_book if project_book else assemble_book).enqueue(job_pk, attempt)


@task()
@in_job_language
def assemble_book(job_pk: int, attempt: int) -> None:
    job = worker.job_in(job_pk, Job.Status.RUNNING, attempt)
    if job is None:
        return
    try:
        selection = _selection(job)
    except printing.BookRefused as refusal:
        worker.fail(job_pk, refusal.message)
        return
    try:
        worker.beat(job_pk)
        indicators = printing.book_indicators(selection.queryset)
        after = books.projects_after(job.owner, indicators) if selection.with_projects else None
        pdf = printing.render_book_pdf(indicators, printing.stamp_for(job.owner), selection.title,
                                       selection.subtitle, after=after)
        worker.succeed(job, pdf)
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise


def _project_selection(job: Job) -> books.ProjectBookSelection:
    """The project book the job asks, checked again as its owner now."""
    form = ProjectBookForm(job.params, user=job.owner, prefix="")
    if not form.is_valid():
        raise printing.BookRefused(_("เงื่อนไขของเล่มนี้ใช้ไม่ได้แล้ว กรุณาเลือกใหม่"), 400)
    return books.project_book_selection(job.owner, form)


@task()
@in_job_language
def make_project_book(job_pk: int) -> None:
    """A project book: the agency's project sheets not yet cached laid out
    in parallel runs (lay_out_project_run), then joined (assemble_project_book)."""
    job = worker.job_in(job_pk, Job.Status.QUEUED)
    if job is None:
        return
    try:
        selection = _project_selection(job)
    except printing.BookRefused as refusal:
        worker.fail(job_pk, refusal.message)
        return
    try:
        projects = list(selection.queryset.order_by("code"))
        runs = _runs([project.pk for project in projects if not pdfs.is_cached(project)])
        missing = sum(len(run) for run in runs)
        attempt = worker.begin(job, total=len(projects), done=len(projects) - missing,
                               runs=len(runs) + 1 if runs else 0)
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    if not runs:
        assemble_project_book.enqueue(job_pk, attempt)
        return
    prepare_project_book.enqueue(job_pk, attempt)
    for run in runs:
        lay_out_project_run.enqueue(job_pk, attempt, run)


@task()
@in_job_language
def prepare_project_book(job_pk: int, attempt: int) -> None:
    """The front matter's length and the page numbers, beside the runs."""
    job = worker.job_in(job_pk, Job.Status.RUNNING, attempt)
    if job is None:
        return
    try:
        selection = _project_selection(job)
        projects = list(selection.queryset.select_related("owner").order_by("code"))
        printing.front_length([pdfs.project_entry(project) for project in projects], selection.title,
                              selection.subtitle)
        for block in range(math.ceil(len(projects) * PAGES_PER_SHEET / printing.NUMBER_BLOCK)):
            printing.book_numbers(block)
        last = worker.run_finished(job_pk, attempt)
    except printing.BookRefused as refusal:
        worker.fail(job_pk, refusal.message)
        return
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise
    if last:
        assemble_project_book.enqueue(job_pk, attempt)


@task()
@in_job_language
def assemble_project_book(job_pk: int, attempt: int) -> None:
    job = worker.job_in(job_pk, Job.Status.RUNNING, attempt)
    if job is None:
        return
    try:
        selection = _project_selection(job)
    except printing.BookRefused as refusal:
        worker.fail(job_pk, refusal.message)
        return
    try:
        worker.beat(job_pk)
        pdf = books.render_project_book_pdf(books.book_projects(selection.queryset), printing.stamp_for(job.owner),
                                            selection.title, selection.subtitle)
        worker.succeed(job, pdf)
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise


@task()
@in_job_language
def make_export(job_pk: int) -> None:
    """A whole-year export (export_jobs.EXPORTS), filtered as asked, of
    what the owner may see now."""
    job = worker.job_in(job_pk, Job.Status.QUEUED)
    if job is None:
        return
    try:
        export_jobs.make(job)
    except Exception:
        worker.failed_unexpectedly(job_pk)
        raise


@task()
def make_quarterly_xlsx(job_pk: int) -> None:
    """The task quarterly XLSX jobs were queued with before make_export:
    kept so that those still in the queue at an upgrade run."""
    make_export.call(job_pk)
