"""The reports app's URLs, one named list per feature, each a (patterns,
namespace) pair for include()."""

from django.urls import path

from .views import browse, detail, entry, printing, progress, project_printing

# The indicator's page: its namespace is the one it always had.
indicator_urls = ([
    path("indicators/<int:year>/<code:code>/", detail.detail, name="detail"),
], "indicators")

entry_urls = ([
    path("my-indicators/", entry.my_indicators, name="my_indicators"),
    path("indicators/<int:year>/<code:code>/quarters/<int:quarter>/report/", entry.quarter_report, name="report"),
    path("indicators/<int:year>/<code:code>/history/", entry.history, name="history"),
    path("evidence/<int:pk>/", entry.evidence_download, name="evidence"),
], "entry")

printing_urls = ([
    path("indicators/<int:year>/<code:code>/sheet.pdf", printing.sheet_pdf, name="sheet"),
    path("reports/book/", printing.book_form, name="book_form"),
    path("reports/book.pdf", printing.book_pdf, name="book"),
    path("reports/book/jobs/", printing.book_job, name="book_job"),
    path("reports/book/count.json", printing.book_count, name="book_count"),
    # Projects' printing lives here, not in projects/urls.py: projects may not import reports.
    path("projects/<int:year>/<code>/sheet.pdf", project_printing.project_sheet_pdf, name="project_sheet"),
    path("reports/project-book/jobs/", project_printing.project_book_job, name="project_book_job"),
], "printing")

browse_urls = ([
    path("reports/quarterly/", browse.quarterly, name="quarterly"),
    path("reports/quarterly/export.<str:fmt>", browse.quarterly_export, name="quarterly_export"),
    path("reports/dashboard/", browse.dashboard, name="dashboard"),
    path("indicators/export.<str:fmt>", browse.list_export, name="list_export"),
], "browse")

progress_urls = ([
    path("reports/progress/", progress.progress_page, name="page"),
    path("reports/progress/export.<str:fmt>", progress.progress_export, name="export"),
    path("reports/progress/remind/", progress.remind, name="remind"),
], "progress")
