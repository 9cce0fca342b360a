"""The indicators app's URLs, one named list per feature. Each is a
(patterns, namespace) pair for include(); the namespaces are the ones the
templates reverse ("indicators:detail", "workbook:import", ...)."""

from django.urls import path

from .views import detail, workbook

indicator_urls = ([
    path("indicators/<int:year>/<code:code>/", detail.detail, name="detail"),
], "indicators")

workbook_urls = ([
    path("indicators/import/", workbook.import_start, name="import"),
    path("indicators/import/template.xlsx", workbook.template, name="template"),
    path("indicators/import/<int:pk>/", workbook.import_job, name="import_job"),
    path("indicators/import/<int:pk>/apply/", workbook.import_apply, name="import_apply"),
    path("indicators/workbook.xlsx", workbook.export, name="export"),
    path("indicators/rollover/", workbook.rollover_year, name="rollover"),
], "workbook")
