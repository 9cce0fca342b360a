"""When a project's quarter may be changed, and by whom: the indicators'
reporting windows (indicators/workflow.py, the same Quarter rows and
administrators' extensions) and the review lock, for project updates."""

import datetime

from django.utils.translation import gettext as _

from indicators import permissions
from indicators.models import Quarter
from indicators.permissions import AnyUser
from indicators.text import thai_date
from indicators.workflow import window_is_open

from .models import Project, ProjectUpdate
from .permissions import can_report_on_project


def edit_refusal(user: AnyUser, project: Project, quarter: Quarter | None, update: ProjectUpdate | None,
                 today: datetime.date) -> str | None:
    """Why this user may not change this project's quarter now, as a Thai
    message, or None when they may."""
    if not can_report_on_project(user, project):
        return _("ท่านไม่มีสิทธิ์รายงานความคืบหน้าโครงการของหน่วยงานอื่น")
    status = update.status if update is not None else ProjectUpdate.Status.NOT_STARTED
    if status == ProjectUpdate.Status.ACCEPTED:
        return _("ไตรมาสนี้ผ่านการตรวจรับแล้วและถูกล็อก แก้ไขได้เมื่อผู้ตรวจประเมินเปิดให้แก้ไขอีกครั้ง")
    if status == ProjectUpdate.Status.SUBMITTED:
        return _("ส่งรายงานไตรมาสนี้แล้ว อยู่ระหว่างรอผู้ตรวจประเมินตรวจสอบ")
    if status == ProjectUpdate.Status.AWAITING_APPROVAL:
        return _("ส่งรายงานไตรมาสนี้แล้ว อยู่ระหว่างรอผู้อนุมัติของหน่วยงานอนุมัติ")
    if permissions.is_administrator(user):
        return None
    if not window_is_open(quarter, update, today):  # type: ignore[arg-type]  # the same two fields
        if quarter is None or quarter.opens_on is None:
            return _("ยังไม่ได้กำหนดช่วงเวลารายงานผลของไตรมาสนี้")
        return _("ไตรมาสนี้เปิดให้รายงานผลระหว่าง %(start)s ถึง %(end)s ขณะนี้อยู่นอกช่วงเวลา") % {
            "start": thai_date(quarter.opens_on), "end": thai_date(quarter.closes_on)}
    return None
