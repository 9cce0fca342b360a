"""The names of the year setup's jobs (stored in jobs.Job.kind: never
rename one). Their JobKinds are registered in YearsetupConfig.ready()."""

IMPORT_CHECK = "import_check"
IMPORT_APPLY = "import_apply"
WORKBOOK_XLSX = "workbook_xlsx"
ROLLOVER = "rollover"
IMPORTS = (IMPORT_CHECK, IMPORT_APPLY)
