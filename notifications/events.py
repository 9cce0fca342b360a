"""The notices that follow a quarter's review or submission (an indicator's
result or a project's update), and a finished job. Connected in apps.py to
indicators/signals.py and projects/signals.py; each runs inside the
transaction that saved the change (mail goes on commit)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from indicators import formats, permissions
from indicators.models import QuarterResult
from indicators.text import thai_date
from jobs.models import Job
from projects.models import ProjectUpdate
from projects.permissions import can_review_project, can_view_project

from . import recipients, services
from .models import Kind

REVIEW_KINDS = {"accepted": Kind.ACCEPTED, "scored": Kind.SCORED, "returned": Kind.RETURNED,
                "reopened": Kind.REOPENED}


def _where(result: QuarterResult) -> dict[str, Any]:
    indicator = result.indicator
    return {"code": indicator.code, "name": indicator.name, "q": result.quarter,
            "year": indicator.fiscal_year.year}


def review_notice(result: QuarterResult, action: str) -> tuple[str, str, str]:
    """(title, text, url) of the notice to the agency after an evaluator's action."""
    indicator = result.indicator
    where = _where(result)
    lines = [_("ตัวชี้วัด %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where]
    url = indicator.get_absolute_url()
    if action in ("returned", "reopened"):
        if action == "returned":
            title = _("ไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s ถูกส่งกลับให้แก้ไข") % where
            lines.append(_("ความเห็นผู้ตรวจประเมิน: %(c)s") % {"c": result.reviewer_comment})
        else:
            title = _("ไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s เปิดให้แก้ไขอีกครั้ง") % where
            lines.append(_("เหตุผล: %(c)s") % {"c": result.reviewer_comment})
        if result.reopened_until:
            lines.append(_("แก้ไขและส่งใหม่ได้ถึง %(d)s") % {"d": thai_date(result.reopened_until)})
        url = reverse("entry:report", args=[indicator.fiscal_year.year, indicator.code, result.quarter])
    elif action == "accepted":
        title = _("ไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s ผ่านการตรวจรับแล้ว") % where
        lines.append(_("คะแนน 2.1 / 2.2 = %(s)s") % {"s": formats.score(result.score_confirmed)})
    else:
        title = _("ตัวชี้วัด %(code)s ได้รับการประเมินไตรมาสที่ 4 แล้ว") % where
        lines.append(_("คะแนน 2.1 = %(s1)s, คะแนน 2.2 = %(s2)s") % {
            "s1": formats.score(result.score_self), "s2": formats.score(result.score_confirmed)})
        if result.score_reason:
            lines.append(_("เหตุผลของคะแนน 2.2: %(r)s") % {"r": result.score_reason})
    return title, "\n".join(lines), url


def in_thai(handler: Callable[..., None]) -> Callable[..., None]:
    """A notice to other people is written in the interface's default
    language (Thai), with links to its pages, whatever language the page of
    the person who acted was in: it is stored as text and read by others."""

    @functools.wraps(handler)
    def run(*args: Any, **kwargs: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            handler(*args, **kwargs)

    return run


@in_thai
def quarter_reviewed(sender: Any, *, result: QuarterResult, action: str, user: User, **kwargs: Any) -> None:
    """To the reporters of the indicator's agency (those who may see it)."""
    indicator = result.indicator
    told = [
        reporter for reporter in recipients.reporters_by_agency([indicator.owner_id]).get(indicator.owner_id, [])
        if reporter.pk != user.pk and permissions.can_view_indicator(reporter, indicator)
    ]
    title, text, url = review_notice(result, action)
    services.notify_all(told, REVIEW_KINDS[action], title=title, text=text, url=url, indicator=indicator,
                        quarter=result.quarter)


@in_thai
def quarter_submitted(sender: Any, *, result: QuarterResult, user: User, **kwargs: Any) -> None:
    """To every evaluator (a daily digest unless they chose otherwise)."""
    indicator = result.indicator
    where = {**_where(result), "agency": indicator.owner.name}
    title = _("%(agency)s ส่งผลไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s รอตรวจ") % where
    text = "\n".join([_("ตัวชี้วัด %(code)s %(name)s") % where,
                      _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where])
    url = reverse("review:quarter", args=[indicator.fiscal_year.year, indicator.code, result.quarter])
    told = [e for e in recipients.evaluators() if e.pk != user.pk and permissions.can_review(e, indicator)]
    services.notify_all(told, Kind.SUBMITTED, title=title, text=text, url=url, indicator=indicator,
                        quarter=result.quarter)


PROJECT_REVIEW_KINDS = {"accepted": Kind.ACCEPTED, "scored": Kind.PROJECT_SCORED, "returned": Kind.RETURNED,
                        "reopened": Kind.REOPENED}


def _project_where(update: ProjectUpdate) -> dict[str, Any]:
    project = update.project
    return {"code": project.code, "name": project.name, "q": update.quarter, "year": project.fiscal_year.year,
            "agency": project.owner.name}


def _project_path(update: ProjectUpdate) -> str:
    project = update.project
    return f"/projects/{project.fiscal_year.year}/{project.code}/"


def _update_form_path(update: ProjectUpdate) -> str:
    """The quarter's update form (the entry feature's "projects:update"), or
    the project's page where there is none."""
    try:
        return reverse("projects:update", args=[update.project.fiscal_year.year, update.project.code,
                                                update.quarter])
    except NoReverseMatch:
        return _project_path(update)


def project_review_notice(update: ProjectUpdate, action: str) -> tuple[str, str, str]:
    """(title, text, url) of the notice to the agency after an evaluator's
    action on its project update."""
    where = _project_where(update)
    lines = [_("โครงการ %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where]
    url = _project_path(update)
    if action in ("returned", "reopened"):
        if action == "returned":
            title = _("รายงานไตรมาสที่ %(q)s ของโครงการ %(code)s ถูกส่งกลับให้แก้ไข") % where
            lines.append(_("ความเห็นผู้ตรวจประเมิน: %(c)s") % {"c": update.reviewer_comment})
        else:
            title = _("รายงานไตรมาสที่ %(q)s ของโครงการ %(code)s เปิดให้แก้ไขอีกครั้ง") % where
            lines.append(_("เหตุผล: %(c)s") % {"c": update.reviewer_comment})
        if update.reopened_until:
            lines.append(_("แก้ไขและส่งใหม่ได้ถึง %(d)s") % {"d": thai_date(update.reopened_until)})
        url = _update_form_path(update)
    elif action == "accepted":
        title = _("รายงานไตรมาสที่ %(q)s ของโครงการ %(code)s ผ่านการตรวจรับแล้ว") % where
    else:
        title = _("โครงการ %(code)s ได้รับการประเมินไตรมาสที่ %(q)s แล้ว") % where
        lines.append(_("สยป. ประเมินโครงการ : ไตรมาสที่ %(q)s %(s)s") % {**where, "s": formats.score(update.score)})
        if update.score_reason:
            lines.append(_("เหตุผลของคะแนน: %(r)s") % {"r": update.score_reason})
    return title, "\n".join(lines), url


@in_thai
def update_reviewed(sender: Any, *, update: ProjectUpdate, action: str, user: User, **kwargs: Any) -> None:
    """To the reporters of the project's agency (those who may see it)."""
    project = update.project
    told = [
        reporter for reporter in recipients.reporters_by_agency([project.owner_id]).get(project.owner_id, [])
        if reporter.pk != user.pk and can_view_project(reporter, project)
    ]
    title, text, url = project_review_notice(update, action)
    services.notify_all(told, PROJECT_REVIEW_KINDS[action], title=title, text=text, url=url,
                        quarter=update.quarter)


@in_thai
def update_submitted(sender: Any, *, update: ProjectUpdate, user: User, **kwargs: Any) -> None:
    """To every evaluator (a daily digest unless they chose otherwise)."""
    project = update.project
    where = _project_where(update)
    title = _("%(agency)s ส่งรายงานไตรมาสที่ %(q)s ของโครงการ %(code)s รอตรวจ") % where
    text = "\n".join([_("โครงการ %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where])
    url = reverse("review:project", args=[project.fiscal_year.year, project.code, update.quarter])
    told = [e for e in recipients.evaluators() if e.pk != user.pk and can_review_project(e, project)]
    services.notify_all(told, Kind.SUBMITTED, title=title, text=text, url=url, quarter=update.quarter)


# --- agency sign-off (issue 24) ---------------------------------------------

SIGNOFF_PREFIX = "ผู้อนุมัติของหน่วยงาน: "


@in_thai
def quarter_awaiting_approval(sender: Any, *, result: QuarterResult, user: User, **kwargs: Any) -> None:
    """To the agency's approvers and their stand-ins today (a daily digest
    unless they chose otherwise)."""
    indicator = result.indicator
    where = {**_where(result), "agency": indicator.owner.name}
    title = _("%(agency)s ส่งผลไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s รอท่านอนุมัติ") % where
    text = "\n".join([_("ตัวชี้วัด %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where])
    url = reverse("signoff:result", args=[indicator.fiscal_year.year, indicator.code, result.quarter])
    told = [a for a in recipients.approvers_of(indicator.owner_id) if a.pk != user.pk]
    services.notify_all(told, Kind.AWAITING_APPROVAL, title=title, text=text, url=url, indicator=indicator,
                        quarter=result.quarter)


@in_thai
def quarter_signed_off(sender: Any, *, result: QuarterResult, action: str, user: User, **kwargs: Any) -> None:
    """Approved: to the evaluators, as a submit is. Returned: to the
    agency's reporters, at once (a returned quarter's notice is mandatory)."""
    if action == "approved":
        submitter = result.submitted_by or user
        quarter_submitted(sender, result=result, user=submitter)
        return
    indicator = result.indicator
    where = _where(result)
    title = _("ผู้อนุมัติของหน่วยงานส่งไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s กลับให้แก้ไข") % where
    comment = result.reviewer_comment.removeprefix(SIGNOFF_PREFIX)
    text = "\n".join([_("ตัวชี้วัด %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where,
                      _("ความเห็นผู้อนุมัติของหน่วยงาน: %(c)s") % {"c": comment}])
    url = reverse("entry:report", args=[indicator.fiscal_year.year, indicator.code, result.quarter])
    told = [
        reporter for reporter in recipients.reporters_by_agency([indicator.owner_id]).get(indicator.owner_id, [])
        if reporter.pk != user.pk and permissions.can_view_indicator(reporter, indicator)
    ]
    services.notify_all(told, Kind.RETURNED, title=title, text=text, url=url, indicator=indicator,
                        quarter=result.quarter)


@in_thai
def update_awaiting_approval(sender: Any, *, update: ProjectUpdate, user: User, **kwargs: Any) -> None:
    """As quarter_awaiting_approval, for a project's update."""
    project = update.project
    where = _project_where(update)
    title = _("%(agency)s ส่งรายงานไตรมาสที่ %(q)s ของโครงการ %(code)s รอท่านอนุมัติ") % where
    text = "\n".join([_("โครงการ %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where])
    url = reverse("signoff:update", args=[project.fiscal_year.year, project.code, update.quarter])
    told = [a for a in recipients.approvers_of(project.owner_id) if a.pk != user.pk]
    services.notify_all(told, Kind.AWAITING_APPROVAL, title=title, text=text, url=url, quarter=update.quarter)


@in_thai
def update_signed_off(sender: Any, *, update: ProjectUpdate, action: str, user: User, **kwargs: Any) -> None:
    """As quarter_signed_off, for a project's update."""
    if action == "approved":
        update_submitted(sender, update=update, user=update.submitted_by or user)
        return
    project = update.project
    where = _project_where(update)
    title = _("ผู้อนุมัติของหน่วยงานส่งรายงานไตรมาสที่ %(q)s ของโครงการ %(code)s กลับให้แก้ไข") % where
    comment = update.reviewer_comment.removeprefix(SIGNOFF_PREFIX)
    text = "\n".join([_("โครงการ %(code)s %(name)s") % where, _("ปีงบประมาณ %(year)s ไตรมาสที่ %(q)s") % where,
                      _("ความเห็นผู้อนุมัติของหน่วยงาน: %(c)s") % {"c": comment}])
    told = [
        reporter for reporter in recipients.reporters_by_agency([project.owner_id]).get(project.owner_id, [])
        if reporter.pk != user.pk and can_view_project(reporter, project)
    ]
    services.notify_all(told, Kind.RETURNED, title=title, text=text, url=_update_form_path(update),
                        quarter=update.quarter)


def job_finished(job_pk: int, **kwargs: Any) -> None:
    """To the job's owner, whether it made its file or failed (jobs'
    job_finished signal). Each kind words its own notice (jobs.kinds)."""
    job = Job.objects.select_related("owner").filter(pk=job_pk).first()
    if job is None:
        return
    kind = job.kind_info
    if job.status != Job.Status.DONE:
        title = _("งาน “%(t)s” ไม่สำเร็จ") % {"t": job.title}
        text = job.error
    else:
        title = str(kind.done_title) % {"t": job.title}
        text = ""
    url = job.result_url or reverse("jobs:detail", args=[job.pk])
    services.notify(job.owner, Kind(kind.notice), title=title, text=text, url=url)
