"""The indicators app's pages, one module per feature: detail (an indicator's
page), browse (the list), workbook (import, export, template,
rollover)."""
