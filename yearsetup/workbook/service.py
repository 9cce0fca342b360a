"""One entry for every way in (command, background job, tests): read the
file, then either the dry run or the import, as a summary the preview page
and the command both show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from indicators.permissions import AnyUser

from .apply import ImportRefused, apply_workbook
from .columns import SHEETS, Sheet
from .files import WorkbookRefused
from .language import in_thai
from .plan import make_plan
from .read import read
from .welcome import welcome

__all__ = ["WorkbookRefused", "run", "as_text"]


@in_thai
def run(content: bytes, *, file_name: str, user: AnyUser, year: int | None = None, apply: bool = False,
         allow_scored_target_change: bool = False, base_url: str = "", sheets: tuple[Sheet, ...] = SHEETS,
         on_progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The summary of the dry run, or of the import when `apply` (which
    writes nothing if the file has a problem) of the `sheets` in the file. "links" holds the password
    links of new users without an e-mail address, to be shown once.
    Raises WorkbookRefused for a file that is not a workbook at all.
    In Thai (in_thai): its messages name the Thai sheets and headers."""
    progress = _Progress(on_progress)
    book = read(content, sheets, on_progress=lambda _rows: progress.add(READ_POINTS))
    options: dict[str, Any] = {"year": year, "allow_scored_target_change": allow_scored_target_change,
                               "file_name": file_name}
    try:
        if not apply:
            return {**make_plan(book, **options).summary(), "applied": False, "links": []}
        try:
            applied = apply_workbook(book, user=user, on_progress=lambda _step: progress.add(APPLY_POINTS),
                                     **options)
        except ImportRefused as refusal:
            return {**refusal.plan.summary(), "applied": False, "links": []}
        links = welcome(applied.new_users, base_url)
        return {**applied.plan.summary(), "applied": True, "links": links,
                "new_users": len(applied.new_users)}
    finally:
        progress.add(100 - progress.done)


# Progress in points out of 100: each sheet read, each kind written.
READ_POINTS = 10
APPLY_POINTS = 10


class _Progress:
    def __init__(self, report: Callable[[int], None] | None):
        self.report = report
        self.done = 0

    def add(self, points: int) -> None:
        points = max(0, min(points, 100 - self.done))
        self.done += points
        if self.report is not None and points:
            self.report(points)


def as_text(summary: dict[str, Any]) -> str:
    lines = []
    if summary.get("year"):
        lines.append(_("ปีงบประมาณ %(y)s") % {"y": summary["year"]})
    for counts in summary["counts"]:
        lines.append(_("%(sheet)s: สร้าง %(created)s แก้ไข %(updated)s ไม่เปลี่ยนแปลง %(unchanged)s "
                       "ไม่มีในไฟล์ %(not_in_file)s") % counts)
    if summary["scored_target_changes"]:
        lines.append(_("เปลี่ยนค่าเป้าหมายของตัวชี้วัดที่ประเมินไตรมาส 4 แล้ว: %(codes)s")
                     % {"codes": ", ".join(summary["scored_target_changes"])})
    for problem in summary["problems"]:
        lines.append(_("[%(sheet)s แถว %(row)s คอลัมน์ %(column)s] %(message)s") % problem)
    if summary.get("applied"):
        lines.append(_("บันทึกแล้ว"))
    elif summary["ok"]:
        lines.append(_("ตรวจสอบแล้ว ไม่พบข้อผิดพลาด (ยังไม่ได้บันทึก)"))
    return "\n".join(lines)
