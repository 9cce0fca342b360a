"""Printing projects: a project's sheet as PDF and the project book job.
Thin: who may see a project is projects.permissions', the work
project_printing's. (They live in reports, not in projects/views/printing.py:
the layout is reports', and projects may not import reports.)"""

from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from jobs import services as jobs
from projects.permissions import project_for

from .. import job_kinds, printing
from ..forms import BookFilterForm, ProjectBookForm
from ..project_printing import books
from ..project_printing.pdfs import render_project_sheet_pdf
from ..project_printing.sheet import with_project_sheet_relations
from .printing import book_page, pdf_response


def project_sheet_pdf(request, year, code):
    """/projects/<year>/<code>/sheet.pdf: 404 when there is none, 403 when it is another agency's."""
    project = project_for(request.user, year, code, queryset=with_project_sheet_relations())
    pdf = render_project_sheet_pdf(project, printing.stamp_for(request.user))
    return pdf_response(pdf, f"project-{year}-{code}.pdf")


@require_POST
def project_book_job(request):
    """Starts the project book of one agency; refused on the book form's page."""
    form = ProjectBookForm(request.POST, user=request.user)

    def refused(status, message=None):
        return book_page(request, BookFilterForm(user=request.user, initial={"year": request.POST.get(
            f"{ProjectBookForm.prefix}-year")}), status=status, message=message, project_form=form)

    if not form.is_valid():
        return refused(400)
    try:
        selection = books.project_book_selection(request.user, form)
        job = jobs.start(
            user=request.user, kind=job_kinds.PROJECT_BOOK, params=form.job_params(),
            title=" ".join(filter(None, (selection.title, selection.subtitle))),
            download_name=selection.filename,
        )
    except printing.BookRefused as refusal:
        return refused(refusal.status, refusal.message)
    except jobs.JobRefused as refusal:
        return refused(429, str(refusal))
    return redirect("jobs:detail", pk=job.pk)
