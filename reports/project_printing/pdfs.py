"""A project's sheet as PDF, through the sheet cache (reports/sheet_pdfs.py):
laid out once per version of what it shows, without the footer, in runs
like the indicators' sheets; the footer (stamp, page numbers) is laid over
it by printing.finish, so a reprint by anyone reuses it.

The key holds Project.sheet_version (bumped by receivers.py on every change
to what the sheet shows), the language, and both layout versions: the
shared print style's (sheet_pdfs.LAYOUT_VERSION) and this sheet's own."""

import io
from collections.abc import Callable, Sequence

import pikepdf
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from projects.models import Project

from .. import printing, sheet_pdfs
from .sheet import build_project_sheet

PROJECT_SHEETS_TEMPLATE = "reports/print/project_sheets.html"

# Bump when templates/reports/print/_project_sheet.html changes what a laid-out sheet looks like.
PROJECT_LAYOUT_VERSION = 1


def cache_key(project: Project) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    return (f"project-p{PROJECT_LAYOUT_VERSION}-v{sheet_pdfs.LAYOUT_VERSION}-{language}-"
            f"{project.pk}-{project.sheet_version}.pdf")


def is_cached(project: Project) -> bool:
    return sheet_pdfs.read(cache_key(project)) is not None


def lay_out_project_sheets(projects: Sequence[Project]) -> list[bytes]:
    """Each project's stamp-free sheet from one WeasyPrint run, one PDF each.
    The projects come loaded by sheet.with_project_sheet_relations."""
    sheets = [build_project_sheet(project) for project in projects]
    html = render_to_string(PROJECT_SHEETS_TEMPLATE, {"sheets": sheets, "title": "", **printing.print_context()})
    return printing.split_run(printing.lay_out(html), "project-", [project.pk for project in projects])


def project_sheets(projects: Sequence[Project], on_laid_out: Callable[[int], None] | None = None) -> list[bytes]:
    """Each project's stamp-free sheet, from the cache or laid out now (in
    runs of printing.BOOK_RUN) and cached; on_laid_out(n) reports progress."""
    found: dict[int, bytes] = {}
    missing = []
    for project in projects:
        pdf = sheet_pdfs.read(cache_key(project))
        if pdf is None:
            missing.append(project)
        else:
            found[project.pk] = pdf
    for first in range(0, len(missing), printing.BOOK_RUN):
        run = missing[first:first + printing.BOOK_RUN]
        for project, pdf in zip(run, lay_out_project_sheets(run), strict=True):
            sheet_pdfs.write(cache_key(project), pdf)
            found[project.pk] = pdf
        if on_laid_out:
            on_laid_out(len(run))
    return [found[project.pk] for project in projects]


def render_project_sheet_pdf(project: Project, stamp: printing.PrintStamp) -> bytes:
    """One project's sheet with the footer laid over every page."""
    (body,) = project_sheets([project])
    title = f"{project.code} {project.name}"
    with pikepdf.open(io.BytesIO(body)) as pdf:
        with pdf.open_outline() as outline:
            outline.root.append(pikepdf.OutlineItem(title, 0))
        return printing.finish(pdf, stamp, title, book=False)


def project_entry(project: Project, level: int = 1) -> printing.BookEntry:
    return printing.BookEntry(printing.PROJECT, project.code, project.name, project.owner.short_name,
                              project.owner.name, level)
