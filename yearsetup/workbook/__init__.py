"""The workbook: one XLSX format for setting up a fiscal year from the
spreadsheets agencies keep (strategy plan, district groups, agencies,
indicators with their quarterly milestones and strategy links, staff).

columns.py  what the format is: every sheet and column, once
files.py    what an upload must be before anything opens it (size, zip, bombs)
read.py     the cells into typed rows, with a Thai error per bad cell
plan.py     the dry run: what would be created, updated, left alone, refused
apply.py    the plan written all or nothing, with history
export.py   a year (or a filtered list) written in the same format; the template
"""

from .columns import SHEETS  # noqa: F401
