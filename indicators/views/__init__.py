"""The indicators app's pages, one module per feature: detail (an indicator's
page), browse (the list), review (the evaluator's queue and actions). The workbook pages (import, export,
template, rollover) are in yearsetup/views.py."""
