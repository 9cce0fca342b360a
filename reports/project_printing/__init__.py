"""Printing projects: a project's sheet (sheet.py computes it, pdfs.py lays
it out through the sheet cache), the projects after each indicator in a
book, the project book of an agency (books.py), and the signal receivers
that give a project (and the indicators listing it) a new sheet version
when what its sheet shows changes (receivers.py).

Nothing is imported here, so reports.printing can import sheet.py without
a circle through pdfs.py."""
