"""python manage.py import_staff FILE [--dry-run]

The staff sheet ("เจ้าหน้าที่") of a workbook alone: creates or updates
accounts (never a password), e-mails each new user a link to set theirs
and prints the links of those without an address. Other sheets in the file
are not read. Exits non-zero when the sheet has problems."""

from yearsetup.workbook import columns

from .import_indicators import Command as ImportCommand


class Command(ImportCommand):
    help = "Import staff accounts from the workbook's staff sheet; new users get a password-set link."
    sheets = (columns.STAFF,)
