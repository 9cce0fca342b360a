"""The evaluator's pages for project updates: their part of the review queue,
one update's review page and its four actions (accept, return, score,
reopen). Thin, as views/review.py: projects/review.py decides (who may
review, too), selectors/project_review.py reads."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from conversations import pages as conversation_pages
from indicators import workflow
from projects import review as services
from projects.models import ProjectUpdate
from projects.permissions import can_review_project, project_for

from ..forms import PROJECTS, AcceptForm, ProjectQueueFilter, ProjectScoreForm, ReopenForm, ReturnForm
from ..selectors import project_review as selectors

QUEUE_PAGE_SIZE = 50
PAGE_PARAM = "project_page"


def reviewer_only(view):
    """Every project review route asks the services' rule first, so a
    non-evaluator gets 403 whatever the address or the form holds."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        services.check_reviewer(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def queue_part(request, filters_valid: bool) -> dict:
    """The queue's project updates under the same filters as its indicator
    results (the shown form is ReviewQueueFilter's; invalid input there
    means no filter here either), paginated on their own."""
    waiting = selectors.waiting_updates()
    filters = ProjectQueueFilter(request.GET or None, queryset=waiting)
    updates = filters.qs if filters_valid and filters.is_bound and filters.is_valid() else waiting
    other = request.GET.copy()
    other.pop("quarter", None)
    without_quarter = ProjectQueueFilter(other, queryset=waiting)
    counts = selectors.counts_by_quarter(
        without_quarter.qs if filters_valid and without_quarter.is_valid() else waiting)
    page: Page = Paginator(updates, QUEUE_PAGE_SIZE).get_page(request.GET.get(PAGE_PARAM))
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return {
        "project_page": page,
        "project_rows": selectors.with_queue_figures(page.object_list, timezone.localdate()),
        "project_counts": counts,
        "project_page_param": PAGE_PARAM,
        "query_without_project_page": query.urlencode(),
    }


def shows_kind(request, filters, kind: str) -> bool:
    """Whether the queue shows this kind's section under the chosen filter."""
    chosen = filters.form.cleaned_data.get("kind") if filters.is_bound and filters.is_valid() else ""
    return not chosen or chosen == kind


def _args(update: ProjectUpdate) -> list:
    return [update.project.fiscal_year.year, update.project.code, update.quarter]


@reviewer_only
def review(request, year, code, quarter):
    project = project_for(request.user, year, code, may=can_review_project)
    return _render_review(request, selectors.update_for_review(project, quarter))


ACTIONS = {
    "accept": (AcceptForm, services.accept, _("ตรวจรับรายงานไตรมาสที่ %(q)s ของโครงการ %(code)s แล้ว")),
    "return": (ReturnForm, services.return_for_correction,
               _("ส่งรายงานไตรมาสที่ %(q)s ของโครงการ %(code)s กลับให้หน่วยงานแก้ไขแล้ว")),
    "score": (ProjectScoreForm, services.score, _("บันทึกคะแนนไตรมาสที่ %(q)s ของโครงการ %(code)s แล้ว")),
    "reopen": (ReopenForm, services.reopen,
               _("เปิดรายงานไตรมาสที่ %(q)s ของโครงการ %(code)s ให้หน่วยงานแก้ไขอีกครั้งแล้ว")),
}


@require_POST
@reviewer_only
def act(request, year, code, quarter, action):
    form_class, service, done_message = ACTIONS[action]
    project = project_for(request.user, year, code, may=can_review_project)
    update = selectors.update_for_review(project, quarter)
    form = form_class(request.POST, auto_id=_auto_id(action))
    if form.is_valid():
        data = dict(form.cleaned_data)
        expected_version = data.pop("version")
        try:
            service(update=update, user=request.user, expected_version=expected_version, **data)
        except workflow.StaleVersion as stale:
            # The latest data, and what was typed kept on the current version
            # so that a deliberate resubmit can go through.
            update.refresh_from_db()
            posted = request.POST.copy()
            posted["version"] = str(update.version)
            form = form_class(posted, auto_id=_auto_id(action))
            form.is_valid()
            form.add_error(None, str(stale.message))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done_message % {"q": quarter, "code": code})
            if action == "accept":
                # Accepted: the score is given next, on the same page.
                return redirect(reverse("review:project", args=[year, code, quarter]) + "#actions")
            return redirect(reverse("review:queue") + f"?kind={PROJECTS}#main")
    return _render_review(request, update, {action: form}, status=400)


def _shown_actions(update: ProjectUpdate) -> tuple[str, ...]:
    if update.status == ProjectUpdate.Status.SUBMITTED:
        return ("accept", "return")
    if update.status == ProjectUpdate.Status.ACCEPTED:
        return ("score", "reopen")
    return ()


def _auto_id(action):
    return f"id_project_{action}_%s"


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _render_review(request, update, bound_forms=None, status=200):
    bound_forms = bound_forms or {}
    version = {"version": update.version}
    initial = {
        "accept": version, "return": version, "reopen": version,
        "score": {**version, "score": update.score, "reason": update.score_reason},
    }
    forms = {
        name: bound_forms.get(name) or form_class(initial=initial[name], auto_id=_auto_id(name))
        for name, (form_class, _service, _message) in ACTIONS.items()
    }
    shown = _shown_actions(update)
    evidence = selectors.evidence_of(update)
    context = {
        "update": update,
        "project": update.project,
        "project_url": selectors.project_url(update.project),
        "figures": selectors.figures_of(update),
        "evidence": [(ev, selectors.evidence_url(ev)) for ev in evidence],
        "history": selectors.history_of(update),
        "forms": forms,
        "shown_actions": shown,
        "action_errors": [
            error for name, form in bound_forms.items() if name not in shown for error in form.non_field_errors()
        ],
        "action_urls": {
            name: reverse(f"review:project_{name}", args=_args(update)) + "#actions" for name in ACTIONS
        },
    }
    # The update's open threads beside the figures (two queries whatever their number).
    context.update(conversation_pages.project_conversation(
        request.user, update.project, update.quarter, open_only=True,
        next_url=reverse("review:project", args=_args(update))))
    return render(request, "evaluation/review/project.html", context, status=status)
