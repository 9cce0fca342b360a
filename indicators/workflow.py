"""When a quarter may be changed, and by whom: reporting windows and the
review lock. Plain functions on loaded objects; views, forms and services ask
here so that no route (form, guessed URL, replayed POST) can go around it."""

from django.utils.translation import gettext as _

from . import permissions
from .models import QuarterResult

REPORTER_EDITABLE = {
    QuarterResult.Status.NOT_STARTED,
    QuarterResult.Status.DRAFT,
    QuarterResult.Status.RETURNED,
}


def window_is_open(quarter, result, today):
    """The quarter's reporting window is open today, or an administrator
    reopened this indicator's quarter until a date not yet past."""
    if result is not None and result.reopened_until is not None and today <= result.reopened_until:
        return True
    return quarter is not None and quarter.is_open_on(today)


def edit_refusal(user, indicator, quarter, result, today):
    """Why this user may not change this indicator's quarter now, as a Thai
    message, or None when they may."""
    if not permissions.can_report_on(user, indicator):
        return _("ท่านไม่มีสิทธิ์รายงานผลตัวชี้วัดของหน่วยงานอื่น")
    status = result.status if result is not None else QuarterResult.Status.NOT_STARTED
    if status == QuarterResult.Status.ACCEPTED:
        return _("ไตรมาสนี้ผ่านการตรวจรับแล้วและถูกล็อก แก้ไขได้เมื่อผู้ตรวจประเมินเปิดให้แก้ไขอีกครั้ง")
    if status == QuarterResult.Status.SUBMITTED:
        return _("ส่งผลไตรมาสนี้แล้ว อยู่ระหว่างรอผู้ตรวจประเมินตรวจสอบ")
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
