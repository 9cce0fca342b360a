"""The audit log as an XLSX file: the same rows as the page, all of them,
written by the reports' XLSX writer (text cells never read as formulas)."""

from collections.abc import Callable

from django.utils.translation import gettext as _

from reports import exports

from . import log

BATCH = 500  # rows loaded (objects and diffs) at a time


def headers() -> list[str]:
    return [_("วันเวลา"), _("ผู้แก้ไข"), _("หน่วยงาน"), _("ปีงบประมาณ"), _("ไตรมาส"), _("ประเภทการเปลี่ยนแปลง"),
            _("รายการ"), _("การเปลี่ยนแปลง"), _("เหตุผล")]


def body(filters: log.Filters, viewer) -> list[list]:
    rows = log.entries(filters)
    lines = []
    total = rows.count()
    for first in range(0, total, BATCH):
        for entry in log.page_entries(rows[first:first + BATCH], viewer):
            lines.append([entry.when, entry.who, entry.agency, entry.year or "", entry.quarter or "",
                          entry.kind_label, entry.subject, entry.change_text(), entry.reason])
    return lines


def xlsx(filters: log.Filters, viewer, on_rows: Callable[[int], None] | None = None) -> bytes:
    return exports.xlsx_bytes(headers(), body(filters, viewer), _("บันทึกการเปลี่ยนแปลง"), on_rows=on_rows)


def filename() -> str:
    return "audit-log.xlsx"
