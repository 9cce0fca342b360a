"""The indicators app's pages, one module per feature: detail (an indicator's
page), browse (the list), review (the evaluator's queue and actions), workbook (import, export, template,
rollover)."""
