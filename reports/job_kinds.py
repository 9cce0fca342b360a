"""The names of the jobs the reports make (stored in jobs.Job.kind: never
rename one). Their JobKinds are registered in ReportsConfig.ready()."""

BOOK = "book"
QUARTERLY_XLSX = "quarterly_xlsx"
QUARTERLY_CSV = "quarterly_csv"
LIST_CSV = "list_csv"
LIST_XLSX = "list_xlsx"
PROJECT_BOOK = "project_book"
