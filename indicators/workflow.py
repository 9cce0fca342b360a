"""When a quarter may be changed, and by whom: reporting windows and the
review lock. Plain functions on loaded objects; views, forms and services ask
here so that no route (form, guessed URL, replayed POST) can go around it."""

import datetime
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import permissions
from .models import Indicator, Quarter, QuarterResult
from .permissions import AnyUser


class StaleVersion(Exception):
    """Every optimistic-locking refusal: the writer started from a version of
    the quarter that is no longer current (someone saved after they loaded
    it), so nothing was saved. `current` is the row as it is now, when the
    refusing service has it, so the page can show the other person's change."""

    message = gettext_lazy(
        "ข้อมูลไตรมาสนี้ถูกเปลี่ยนแปลงหลังจากที่ท่านเปิดหน้านี้ "
        "กรุณาตรวจสอบข้อมูลล่าสุดแล้วดำเนินการอีกครั้ง ระบบยังไม่ได้บันทึกการดำเนินการของท่าน"
    )

    def __init__(self, current: QuarterResult | None = None):
        super().__init__(str(self.message))
        self.current = current


# django-simple-history's history_change_reason column.
CHANGE_REASON_LENGTH = 100


def fit_change_reason(reason: str, limit: int = CHANGE_REASON_LENGTH) -> str:
    """The reason as its history row can hold it. The reason is a summary (an
    evaluator's full text is kept in its own field, score_reason or the
    return comment, with its own history): a longer one ends in "…" at a
    whole character cluster, never between a Thai letter and its marks.
    PostgreSQL refuses an over-long value, so an evaluator's long reason
    or a long file name must not fail the save itself."""
    if len(reason) <= limit:
        return reason
    cut = limit - 1
    while cut > 0 and unicodedata.category(reason[cut]) in ("Mn", "Mc"):
        cut -= 1  # reason[cut] is a mark: it belongs with the letter before it
    return reason[:cut].rstrip() + "…"


def record_change(instance: Model, user: User, reason: str) -> None:
    """Who made the change about to be saved, and why, for its history row
    (django-simple-history reads these two attributes on save)."""
    setattr(instance, "_history_user", user)
    setattr(instance, "_change_reason", fit_change_reason(str(reason)))


def locked_quarter_row(model: type[Model], **key: object) -> Model:
    """A quarter's row (a QuarterResult, a ProjectUpdate), locked for the
    transaction; created when the quarter has never been touched (version
    0, no history row: it is inserted only to hold the lock, the save that
    follows is the change worth recording)."""
    locked = model._default_manager.select_for_update(of=("self",)).order_by()
    row = locked.filter(**key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            row = model(**key)
            setattr(row, "skip_history_when_saving", True)
            row.save()
            delattr(row, "skip_history_when_saving")
            return row
    except IntegrityError:
        # Another writer created it between our read and our insert.
        return locked.get(**key)


def window_is_open(quarter: Quarter | None, result: QuarterResult | None, today: datetime.date) -> bool:
    """The quarter's reporting window is open today, or an administrator
    reopened this indicator's quarter until a date not yet past."""
    if result is not None and result.reopened_until is not None and today <= result.reopened_until:
        return True
    return quarter is not None and quarter.is_open_on(today)


def open_until(quarter: Quarter | None, result: QuarterResult | None) -> datetime.date | None:
    """The last day the quarter's reporters may change it: the window's
    close or the extension (reopened_until), whichever is later. An
    extension never shortens the window."""
    days = [day for day in (quarter.closes_on if quarter else None,
                            result.reopened_until if result else None) if day is not None]
    return max(days) if days else None


@dataclass(frozen=True)
class Reopening:
    """Why a quarter is open to its reporters: the evaluator returned it
    (`returned`, with who and when, and `asked_by`, the correction date
    they gave, while it is not past: the date the reporters' notices, the
    indicator page and the mail give too), or, past its window, an
    administrator extended it (`returned` False). `until` is the last day
    they may really change it (open_until)."""

    returned: bool
    until: datetime.date | None
    by: User | None = None
    on: datetime.datetime | None = None
    asked_by: datetime.date | None = None


def reopening(quarter: Quarter | None, result: QuarterResult | None, today: datetime.date) -> Reopening | None:
    """What the report form says about who opened the quarter and until
    when; None when nothing did (a submitted or accepted quarter says
    nothing of an earlier return or extension, and an extension that ended,
    or that ends inside the window, changes nothing a reporter can use)."""
    if result is None or result.status in (QuarterResult.Status.AWAITING_APPROVAL, QuarterResult.Status.SUBMITTED,
                                           QuarterResult.Status.ACCEPTED):
        return None
    until = open_until(quarter, result)
    extension = result.reopened_until
    if result.status == QuarterResult.Status.RETURNED:
        asked_by = extension if extension is not None and extension >= today else None
        return Reopening(returned=True, until=until, by=result.reviewed_by, on=result.reviewed_at, asked_by=asked_by)
    closes = quarter.closes_on if quarter else None
    if extension is None or extension < today or (closes is not None and extension <= closes):
        return None
    return Reopening(returned=False, until=extension)


def edit_refusal(user: AnyUser, indicator: Indicator, quarter: Quarter | None, result: QuarterResult | None,
                 today: datetime.date) -> str | None:
    """Why this user may not change this indicator's quarter now, as a Thai
    message, or None when they may."""
    if not permissions.can_report_on(user, indicator):
        return _("ท่านไม่มีสิทธิ์รายงานผลตัวชี้วัดของหน่วยงานอื่น")
    status = result.status if result is not None else QuarterResult.Status.NOT_STARTED
    if status == QuarterResult.Status.ACCEPTED:
        return _("ไตรมาสนี้ผ่านการตรวจรับแล้วและถูกล็อก แก้ไขได้เมื่อผู้ตรวจประเมินเปิดให้แก้ไขอีกครั้ง")
    if status == QuarterResult.Status.SUBMITTED:
        return _("ส่งผลไตรมาสนี้แล้ว อยู่ระหว่างรอผู้ตรวจประเมินตรวจสอบ")
    if status == QuarterResult.Status.AWAITING_APPROVAL:
        return _("ส่งผลไตรมาสนี้แล้ว อยู่ระหว่างรอผู้อนุมัติของหน่วยงานอนุมัติ")
    if permissions.is_administrator(user):
        return None
    if not window_is_open(quarter, result, today):
        if quarter is None or quarter.opens_on is None:
            return _("ยังไม่ได้กำหนดช่วงเวลารายงานผลของไตรมาสนี้")
        from .text import thai_date

        return _("ไตรมาสนี้เปิดให้รายงานผลระหว่าง %(start)s ถึง %(end)s ขณะนี้อยู่นอกช่วงเวลา") % {
            "start": thai_date(quarter.opens_on),
            "end": thai_date(quarter.closes_on),
        }
    return None
