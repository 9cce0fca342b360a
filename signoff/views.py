"""The agency approver's pages: the queue of quarters awaiting their
agencies' sign-off, one quarter's approval page (an indicator's result or a
project's update) with its approve and return forms, and the stand-ins the
approver names. Views are thin: services.py decides, selectors.py reads;
every route refuses (403) anyone who does not sign off the agency today."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import permissions, rules, workflow
from indicators.models import AgencyApprover, ApproverStandIn, QuarterResult
from projects.models import ProjectUpdate
from projects.permissions import project_for

from . import selectors, services
from .forms import ApproveForm, QueueFilter, ReturnForm, StandInForm


def _may_approve_indicator(user, indicator):
    return permissions.can_approve(user, indicator.owner_id)


def _may_approve_project(user, project):
    return permissions.can_approve(user, project.owner_id)


def _approver_agencies(request):
    agency_ids = permissions.approver_agency_ids(request.user)
    if not agency_ids:
        raise PermissionDenied(_("หน้านี้สำหรับผู้อนุมัติของหน่วยงานเท่านั้น"))
    return agency_ids


def queue(request):
    agency_ids = _approver_agencies(request)
    agencies = selectors.agencies(agency_ids)
    filters = QueueFilter(request.GET or None, agencies=agencies)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if chosen.get("agency"):
        agency_ids = frozenset({chosen["agency"]})
    kind = chosen.get("kind") or ""
    results = list(selectors.awaiting_results(agency_ids)) if kind != selectors.PROJECTS else []
    updates = list(selectors.awaiting_updates(agency_ids)) if kind != selectors.INDICATORS else []
    return render(request, "signoff/queue.html", {
        "filter": filters, "results": results, "updates": updates, "kind": kind,
        "is_named_approver": AgencyApprover.objects.filter(user=request.user).exists(),
    })


ACTIONS = {"approve": ApproveForm, "return": ReturnForm}


def _act(request, row, approve, give_back):
    """POST of the approval page: (forms, status, done) where done is the
    success message once saved."""
    action = request.POST.get("action")
    if action not in ACTIONS:
        return {}, 400, None
    form = ACTIONS[action](request.POST, prefix=action)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if action == "approve":
                approve(user=request.user, expected_version=data["version"])
                return {}, 200, _("อนุมัติแล้ว ส่งต่อให้ สยป. ตรวจประเมิน")
            give_back(user=request.user, expected_version=data["version"], comment=data["comment"])
            return {}, 200, _("ส่งกลับให้ผู้รายงานแก้ไขแล้ว")
        except workflow.StaleVersion as stale:
            # The latest figures are shown; the typed comment stays, now on
            # the current version so a deliberate resubmit can go through.
            row.refresh_from_db()
            posted = request.POST.copy()
            posted[f"{action}-version"] = str(row.version)
            form = ACTIONS[action](posted, prefix=action)
            form.is_valid()
            form.add_error(None, str(stale.message))
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
    return {action: form}, 400, None


def _forms(row, bound):
    initial = {"version": row.version}
    return {name: bound.get(name) or form_class(initial=initial, prefix=name) for name, form_class in ACTIONS.items()}


def result_page(request, year, code, quarter):
    indicator = permissions.indicator_for(request.user, year, code, may=_may_approve_indicator)
    result = get_object_or_404(QuarterResult.objects.select_related("submitted_by"), indicator=indicator,
                               quarter=quarter)
    result.indicator = indicator
    bound, status = {}, 200
    if request.method == "POST":
        bound, status, done = _act(
            request, result,
            lambda **kw: services.approve_result(result=result, **kw),
            lambda **kw: services.return_result(result=result, **kw))
        if done:
            messages.success(request, done)
            return redirect("signoff:queue")
    narratives = selectors.narratives_of(result)
    return render(request, "signoff/result.html", {
        "result": result, "indicator": indicator,
        "target": rules.applicable_target(indicator.annual_target, result.target),
        "general_narrative": next((n for n in narratives if n.district_group_id is None), None),
        "group_narratives": [n for n in narratives if n.district_group_id is not None and n.text],
        "evidence": selectors.evidence_of(result),
        "forms": _forms(result, bound),
        "awaiting": result.status == QuarterResult.Status.AWAITING_APPROVAL,
    }, status=status)


def update_page(request, year, code, quarter):
    project = project_for(request.user, year, code, may=_may_approve_project)
    update = get_object_or_404(ProjectUpdate.objects.select_related("submitted_by"), project=project,
                               quarter=quarter)
    update.project = project
    bound, status = {}, 200
    if request.method == "POST":
        bound, status, done = _act(
            request, update,
            lambda **kw: services.approve_update(update=update, **kw),
            lambda **kw: services.return_update(update=update, **kw))
        if done:
            messages.success(request, done)
            return redirect("signoff:queue")
    return render(request, "signoff/update.html", {
        "update": update, "project": project,
        "evidence": selectors.update_evidence_of(update),
        "forms": _forms(update, bound),
        "awaiting": update.status == ProjectUpdate.Status.AWAITING_APPROVAL,
    }, status=status)


def stand_ins(request):
    """A named approver's stand-ins: add one for a date range, or remove one."""
    if not AgencyApprover.objects.filter(user=request.user).exists():
        raise PermissionDenied(_("เฉพาะผู้อนุมัติของหน่วยงานเท่านั้นที่กำหนดผู้ปฏิบัติหน้าที่แทนได้"))
    mine = ApproverStandIn.objects.filter(approver=request.user)
    form = StandInForm(approver=request.user)
    status = 200
    if request.method == "POST":
        if "remove" in request.POST:
            stand_in = get_object_or_404(mine, pk=request.POST.get("remove"))
            workflow.record_change(stand_in, request.user, _("ยกเลิกผู้ปฏิบัติหน้าที่แทน"))
            stand_in.delete()
            messages.success(request, _("ยกเลิกผู้ปฏิบัติหน้าที่แทนแล้ว"))
            return redirect("signoff:stand_ins")
        form = StandInForm(request.POST, approver=request.user)
        if form.is_valid():
            workflow.record_change(form.instance, request.user, _("กำหนดผู้ปฏิบัติหน้าที่แทน"))
            form.save()
            messages.success(request, _("บันทึกผู้ปฏิบัติหน้าที่แทนแล้ว"))
            return redirect(reverse("signoff:stand_ins"))
        status = 400
    return render(request, "signoff/stand_ins.html", {
        "form": form, "stand_ins": list(mine.select_related("stand_in")),
    }, status=status)
