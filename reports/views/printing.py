"""Printing views: an indicator's sheet and a book of sheets as PDF. Thin:
permissions come from indicators.permissions, the work from printing.py."""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from indicators import permissions
from indicators.models import FiscalYear
from jobs import services as jobs

from .. import job_kinds, printing
from ..forms import BookFilterForm, ProjectBookForm
from ..sheet import with_sheet_relations


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def sheet_pdf(request, year, code):
    indicator = permissions.indicator_for(request.user, year, code, queryset=with_sheet_relations())
    pdf = printing.render_sheet_pdf(indicator, printing.stamp_for(request.user))
    return pdf_response(pdf, f"indicator-{year}-{code}.pdf")


def book_size_text(user, form):
    """What the form's page says of the book asked for: "จะได้ N แผ่น", or
    why it cannot be printed (printing.book_size, the book's own check)."""
    if not form.is_valid():
        return " ".join(str(error) for errors in form.errors.values() for error in errors), False
    size = printing.book_size(user, form)
    sheets = ngettext("จะได้ %(n)s แผ่น (หนึ่งแผ่นต่อตัวชี้วัด)", "จะได้ %(n)s แผ่น (หนึ่งแผ่นต่อตัวชี้วัด)",
                      size.sheets) % {"n": intcomma(size.sheets)}
    if size.refusal is not None:
        return (f"{sheets} · {size.refusal.message}" if size.sheets else size.refusal.message), False
    return sheets, True


def book_page(request, form, status=200, message=None, project_form=None):
    """The book form's page; beside it, the project book's small form
    (project_form: a refused one, with its errors)."""
    text, printable = book_size_text(request.user, form) if form.is_bound else ("", True)
    about_projects = project_form is not None  # the message is the project book's
    if project_form is None:
        year = form.data.get("year") if form.is_bound else form.initial.get("year")
        project_form = ProjectBookForm(user=request.user, initial={"year": year})
    return render(request, "reports/book_form.html", {
        "form": form, "message": None if about_projects else message,
        "size_text": text, "printable": printable,
        "project_form": project_form, "project_message": message if about_projects else None,
    }, status=status)


def book_form(request):
    """The book's filter form; a query string (an old /reports/book.pdf
    link) fills it in, and the page says how many sheets it makes."""
    latest = FiscalYear.objects.order_by("-year").first()
    data = {"year": str(latest.year) if latest else "", **request.GET.dict()}
    return book_page(request, BookFilterForm(data, user=request.user))


@require_GET
def book_count(request):
    """The form's choices as they stand (its script asks on every change):
    {"text": "จะได้ N แผ่น" or why not, "printable": bool}."""
    text, printable = book_size_text(request.user, BookFilterForm(request.GET, user=request.user))
    return JsonResponse({"text": text, "printable": printable})


def book_pdf(request):
    """Books are made by print jobs now: the old address leads to the form,
    filled in, one press away from the job."""
    query = request.GET.urlencode()
    return redirect(reverse("printing:book_form") + (f"?{query}" if query else ""))


@require_POST
def book_job(request):
    form = BookFilterForm(request.POST, user=request.user)
    if not form.is_valid():
        return book_page(request, form, status=400)
    try:
        selection = printing.book_selection(request.user, form)
        job = jobs.start(
            user=request.user, kind=job_kinds.BOOK,
            params={name: request.POST[name] for name in ("year", *BookFilterForm.FILTERS, *BookFilterForm.OPTIONS)
                    if request.POST.get(name)},
            title=" ".join(filter(None, (selection.title, selection.subtitle))),
            download_name=selection.filename,
        )
    except printing.BookRefused as refusal:
        return book_page(request, form, status=refusal.status, message=refusal.message)
    except jobs.JobRefused as refusal:
        return book_page(request, form, status=429, message=str(refusal))
    return redirect("jobs:detail", pk=job.pk)
