"""The kinds of job, registered by the features that do the work: each says
how it is named, which task starts it (a retry or a requeue starts it
again), how the job page words its progress, and where its outcome is shown
when it makes no file. The jobs app itself knows none of them.

A feature registers its kinds in its AppConfig.ready(), e.g.

    kinds.register(kinds.JobKind("book", _("เล่ม (PDF)"), task=tasks.make_book, ...))
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class JobKind:
    name: str  # stored in Job.kind: never rename one that has rows
    label: Promise | str  # what it is, in "my background jobs" and on the job page
    task: Any  # the django_tasks Task that starts it, called with the job's pk
    # The job page's progress line ({done} and {total} filled in) and what it
    # shows between the last step and the file.
    progress_text: Promise | str = _("เขียนแล้ว {done} จาก {total} แถว")
    finishing_text: Promise | str = _("กำลังบันทึกไฟล์")
    # URL names (pk argument / none) for kinds whose outcome is a page, not a
    # file, and whose failure wants a new start rather than a retry.
    result_page: str | None = None
    result_label: Promise | str = _("ดูผล")
    restart_page: str | None = None
    restart_label: Promise | str = _("เริ่มใหม่")
    # The notice its owner gets when it ends well (%(t)s: the job's title),
    # and the notification kind it is filed under.
    done_title: Promise | str = _("งาน “%(t)s” เสร็จแล้ว ดาวน์โหลดได้")
    notice: str = "job_finished"
    # What its owner reads when the worker fails unexpectedly.
    failed_message: Promise | str = _("เกิดข้อผิดพลาดระหว่างจัดทำเอกสาร กรุณากด \"สั่งใหม่\" หรือแจ้งผู้ดูแลระบบ")


_kinds: dict[str, JobKind] = {}


class UnknownKind(JobKind):
    """A row whose kind no installed app registers (an app removed, or a
    kind renamed): shown under its stored name, never started."""


def register(kind: JobKind) -> JobKind:
    known = _kinds.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"job kind {kind.name!r} is registered twice")
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> JobKind:
    kind = _kinds.get(name)
    if kind is None:
        return UnknownKind(name, name, task=None)
    return kind


def registered() -> list[JobKind]:
    return list(_kinds.values())
