"""The whole-year exports (the list, the quarterly table, the importable
workbook) and how one becomes a print job: over settings.EXPORT_JOB_ROWS
rows the file is made by a task worker, since a request must never do
long work (25,000 indicators took 2-16 s). Each export's file is built by
one function for the download and the job alike, so both are the same
bytes; the job reads the filters again as its owner when it runs."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.filters import IndicatorFilter, filter_for
from indicators.permissions import AnyUser
from indicators.selectors import browse as selectors_browse
from jobs import services, worker
from jobs.models import Job

from . import exports, job_kinds, tables

OnRows = Callable[[int], None] | None


@dataclass(frozen=True)
class Export:
    kind: str  # its job kind's name (jobs.kinds), whose label names it on the confirm and job pages
    name: Promise  # what it is, for the job's title
    page: str  # the page it is exported from, to go back to
    back: Promise  # the link back to that page
    build: Callable[[IndicatorFilter, dict[str, Any], OnRows], bytes]
    filename: Callable[[IndicatorFilter], str]  # with its suffix


def year_of(filterset: IndicatorFilter) -> str:
    year = filterset.fiscal_year
    return str(year.year) if year else "all"


def _list_table(filterset: IndicatorFilter) -> tuple[list[Any], list[Any]]:
    quarter = filterset.status_quarter
    return exports.list_table(selectors_browse.list_rows(filterset.qs, quarter), quarter)


def _quarterly_table(filterset: IndicatorFilter, params: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    return exports.quarterly_export(filterset.qs, tables.grouping(params.get("group_by")))


BACK_TO_LIST = gettext_lazy("กลับไปที่รายการตัวชี้วัด")
BACK_TO_TABLE = gettext_lazy("กลับไปที่ตาราง")
EXPORTS: dict[str, Export] = {export.kind: export for export in (
    Export(
        job_kinds.LIST_CSV, gettext_lazy("รายการตัวชี้วัด"), "home", BACK_TO_LIST,
        lambda filterset, params, on_rows: exports.csv_bytes(*_list_table(filterset), on_rows=on_rows),
        lambda filterset: f"kpi-{year_of(filterset)}-indicators.csv",
    ),
    Export(
        job_kinds.LIST_XLSX, gettext_lazy("รายการตัวชี้วัด"), "home", BACK_TO_LIST,
        lambda filterset, params, on_rows: exports.xlsx_bytes(*_list_table(filterset), _("ตัวชี้วัด"), on_rows=on_rows),
        lambda filterset: f"kpi-{year_of(filterset)}-indicators.xlsx",
    ),
    Export(
        job_kinds.QUARTERLY_CSV, gettext_lazy("ตารางผลงานรายไตรมาส"), "browse:quarterly", BACK_TO_TABLE,
        lambda filterset, params, on_rows: exports.csv_bytes(*_quarterly_table(filterset, params), on_rows=on_rows),
        lambda filterset: f"kpi-{year_of(filterset)}-quarterly.csv",
    ),
    Export(
        job_kinds.QUARTERLY_XLSX, gettext_lazy("ตารางผลงานรายไตรมาส"), "browse:quarterly", BACK_TO_TABLE,
        lambda filterset, params, on_rows: exports.xlsx_bytes(
            *_quarterly_table(filterset, params), _("ผลรายไตรมาส"), on_rows=on_rows),
        lambda filterset: f"kpi-{year_of(filterset)}-quarterly.xlsx",
    ),
)}


def register(export: Export) -> Export:
    """An export of another feature's (the importable workbook, in yearsetup)
    made by the same job and download; its job kind is registered beside it."""
    EXPORTS[export.kind] = export
    return export


def params_of(filterset: IndicatorFilter, **extra: str) -> dict[str, Any]:
    """The effective filters (defaults filled in) and what else the export
    reads (the grouping), as a job keeps them."""
    params = {**filterset.data.dict(), **extra}
    params.pop("page", None)
    return params


def rows(filterset: IndicatorFilter) -> int:
    return int(filterset.qs.count())


def start(user: AnyUser, export: Export, filterset: IndicatorFilter, params: dict[str, Any]) -> Job:
    """The job making this export for this user (JobRefused beyond their limit)."""
    year = filterset.fiscal_year
    return services.start(
        user=user, kind=export.kind, params=params, download_name=export.filename(filterset),
        title=_("%(name)s ปีงบประมาณ %(year)s") % {"name": export.name, "year": year.year if year else "-"},
    )


def make(job: Job) -> None:
    """Run by the worker: the export's file, of what the owner may see now."""
    export = EXPORTS[job.kind]
    query = QueryDict(mutable=True)
    query.update(job.params)
    filterset, _years = filter_for(job.owner, query)
    worker.begin(job, total=rows(filterset))
    content = export.build(filterset, job.params, lambda n: worker.beat(job.pk, n))
    worker.succeed(job, content)
