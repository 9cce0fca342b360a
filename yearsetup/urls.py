"""The year setup's URLs: the workbook import (upload, dry run, confirm),
the template, the export in the import's format, and the rollover. A
(patterns, namespace) pair for include(); the paths stay under
/indicators/ and the namespace is "workbook" ("workbook:import", ...)."""

from django.urls import path

from . import views as workbook

workbook_urls = ([
    path("indicators/import/", workbook.import_start, name="import"),
    path("indicators/import/template.xlsx", workbook.template, name="template"),
    path("indicators/import/<int:pk>/", workbook.import_job, name="import_job"),
    path("indicators/import/<int:pk>/apply/", workbook.import_apply, name="import_apply"),
    path("indicators/workbook.xlsx", workbook.export, name="export"),
    path("indicators/rollover/", workbook.rollover_year, name="rollover"),
    path("indicators/rollover/<int:pk>/", workbook.rollover_job, name="rollover_job"),
], "workbook")
