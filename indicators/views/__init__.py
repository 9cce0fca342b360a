"""The indicators app's pages, one module per feature: detail (an indicator's
page), browse (the list). The indicator's page is in reports/views/detail.py,
the review in evaluation/, the workbook pages in yearsetup/views.py."""
