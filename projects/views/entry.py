"""The quarterly project update: the reporter's form, evidence downloads and
the history of a project's updates. Thin: permissions ask
projects/permissions.py and workflow.py, writes go through services.py."""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import workflow as indicator_workflow
from indicators.models import QUARTERS

from .. import services
from ..forms import ProjectUpdateForm, initial_for
from ..models import ProjectEvidence
from ..permissions import can_report_on_project, can_view_project, project_for
from ..workflow import edit_refusal

log = logging.getLogger(__name__)
TEMPLATE = "projects/entry/update_form.html"


def _context(project, quarter, user, today):
    state = services.quarter_state(project, quarter)
    return {
        "project": project,
        "quarter": quarter,
        "state": state,
        "update": state.update,
        "window": state.window,
        "evidence": state.evidence,
        "refusal": edit_refusal(user, project, state.window, state.update, today),
    }


def update_form(request, year, code, quarter):
    if quarter not in QUARTERS:
        raise Http404
    project = project_for(request.user, year, code, may=can_report_on_project)
    today = timezone.localdate()
    context = _context(project, quarter, request.user, today)
    state = context["state"]
    if request.method != "POST":
        if not context["refusal"]:
            context["form"] = ProjectUpdateForm(initial=initial_for(state), state=state)
        # With a refusal the page is read-only: the saved update and the reason.
        return render(request, TEMPLATE, context)

    submit = request.POST.get("action") == "submit"
    form = ProjectUpdateForm(request.POST, request.FILES, state=state, submit=submit)
    if context["refusal"]:
        return _refused_post(request, context, form, submit)
    if not form.is_valid():
        context.update(form=form, files_to_choose_again=bool(request.FILES))
        return render(request, TEMPLATE, context, status=400)
    try:
        services.save_project_update(user=request.user, project=project, quarter=quarter,
                                     expected_version=form.cleaned_data["version"], changes=form.changes(),
                                     today=today)
    except ValidationError as error:
        form.add_error(None, error)
        context.update(form=form, files_to_choose_again=bool(request.FILES))
        return render(request, TEMPLATE, context, status=400)
    except (services.UpdateRefused, indicator_workflow.StaleVersion):
        # Changed between our read and the locked write: show it as it is now.
        return _refused_post(request, _context(project, quarter, request.user, today), form, submit)
    if submit:
        messages.success(request, _("ส่งรายงานความคืบหน้าโครงการไตรมาสที่ %(n)s แล้ว") % {"n": quarter})
    else:
        messages.success(request, _("บันทึกฉบับร่างไตรมาสที่ %(n)s แล้ว") % {"n": quarter})
    return redirect("projects:update", year=year, code=code, quarter=quarter)


def _refused_post(request, context, form, submit):
    """A save that cannot happen: the quarter closed or was locked, or
    someone saved since this writer loaded it. Nothing is saved; what was
    typed comes back; the other person's update is shown; when the quarter
    is still open the form carries the current version to save again."""
    update = context["update"]
    current_version = update.version if update else 0
    try:
        posted_version = int(request.POST.get("version", ""))
    except ValueError:
        posted_version = None
    conflict = posted_version != current_version
    if conflict:
        data = request.POST.copy()
        data["version"] = str(current_version)
        form = ProjectUpdateForm(data, state=context["state"], submit=submit)
        form.is_valid()
        context.update(conflict=update, conflict_by_self=update is not None and update.updated_by_id == request.user.pk)
    context.update(form=form, files_to_choose_again=bool(request.FILES))
    return render(request, TEMPLATE, context, status=409 if conflict else 403)


def evidence_download(request, pk):
    evidence = get_object_or_404(ProjectEvidence.objects.select_related("project"), pk=pk)
    if not can_view_project(request.user, evidence.project):
        raise PermissionDenied
    if evidence.removed_at is not None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        log.warning("project evidence %s: stored file %s is missing", evidence.pk, evidence.file.name)
        return render(request, "projects/entry/evidence_missing.html", {"evidence": evidence}, status=410)
    response = FileResponse(handle, as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def history(request, year, code):
    project = project_for(request.user, year, code)
    return render(request, "projects/entry/history.html", {"project": project, "entries": services.update_history(project)})
