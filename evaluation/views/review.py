"""The evaluator's pages: the review queue, one quarter's review page and its
four actions. Views are thin: services.py decides (who may review, too:
services.check_evaluator), selectors/review.py reads."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from conversations import pages as conversation_pages
from indicators import permissions, quarter_rows, rules, workflow
from indicators.models import FINAL_QUARTER, QuarterResult
from reports.change_history import indicator_history

from .. import services
from ..forms import INDICATORS, PROJECTS, AcceptForm, FinalScoreForm, ReopenForm, ReturnForm, ReviewQueueFilter
from ..selectors import review as selectors_review
from . import project_review

QUEUE_PAGE_SIZE = 50


def evaluator_only(view):
    """A review route: the services' own rule (services.check_evaluator), asked
    before the view reads or validates anything, so a non-evaluator gets 403
    on every review URL, a guessed indicator or an invalid form included."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        services.check_evaluator(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def after_login(request):
    """Where signing in lands: evaluators on their queue, managers on the
    dashboard, everyone else on the list."""
    if permissions.is_evaluator(request.user):
        return redirect("review:queue")
    if permissions.has_role(request.user, permissions.MANAGER):
        return redirect("browse:dashboard")
    return redirect("home")


@evaluator_only
def queue(request):
    waiting = selectors_review.waiting_quarters()
    filters = ReviewQueueFilter(request.GET or None, queryset=waiting)
    results = filters.qs if filters.is_bound and filters.is_valid() else waiting
    # Per-quarter counts under the other filters, so the quarter links say
    # how many each would show.
    other_filters = request.GET.copy()
    other_filters.pop("quarter", None)
    other_filters.pop("page", None)
    without_quarter = ReviewQueueFilter(other_filters, queryset=waiting)
    counts = selectors_review.counts_by_quarter(without_quarter.qs if without_quarter.is_valid() else waiting)
    page = Paginator(selectors_review.with_earlier_values(results), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors_review.with_queue_figures(page.object_list, timezone.localdate())
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    query_without_quarter = other_filters
    query_without_quarter.pop(project_review.PAGE_PARAM, None)
    # The project updates waiting, beside the results, under the same filters.
    projects = project_review.queue_part(request, filters_valid=not filters.is_bound or filters.is_valid())
    for quarter, n in projects["project_counts"].items():
        counts[quarter] = counts.get(quarter, 0) + n
    return render(request, "evaluation/review/queue.html", {
        **projects,
        "show_indicators": project_review.shows_kind(request, filters, INDICATORS),
        "show_projects": project_review.shows_kind(request, filters, PROJECTS),
        "filter": filters,
        "page": page,
        "rows": rows,
        "newest_first": filters.is_bound and filters.is_valid()
        and filters.form.cleaned_data.get("order") == selectors_review.NEWEST_FIRST,
        "quarter_counts": [(q, counts.get(q, 0)) for q in (1, 2, 3, 4)],
        "total_without_quarter": sum(counts.values()),
        "selected_quarter": request.GET.get("quarter", ""),
        "query_without_page": query_without_page.urlencode(),
        "query_without_quarter": query_without_quarter.urlencode(),
    })


@evaluator_only
def review(request, year, code, quarter):
    indicator = permissions.indicator_for(request.user, year, code)
    return _render_review(request, selectors_review.result_for_review(indicator, quarter))


ACTIONS = {
    "accept": (AcceptForm, services.accept, _("ตรวจรับไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s แล้ว")),
    "score": (FinalScoreForm, services.score_final_quarter,
              _("บันทึกคะแนนไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s แล้ว")),
    "return": (ReturnForm, services.return_for_correction,
               _("ส่งไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s กลับให้หน่วยงานแก้ไขแล้ว")),
    "reopen": (ReopenForm, services.reopen,
               _("เปิดไตรมาสที่ %(q)s ของตัวชี้วัด %(code)s ให้หน่วยงานแก้ไขอีกครั้งแล้ว")),
}


@require_POST
@evaluator_only
def act(request, year, code, quarter, action):
    form_class, service, done_message = ACTIONS[action]
    indicator = permissions.indicator_for(request.user, year, code)
    result = selectors_review.result_for_review(indicator, quarter)
    form = form_class(request.POST, auto_id=_auto_id(action))
    if form.is_valid():
        data = dict(form.cleaned_data)
        expected_version = data.pop("version")
        try:
            service(result=result, user=request.user, expected_version=expected_version, **data)
        except workflow.StaleVersion as stale:
            # Show the latest data; keep what was typed, now based on the
            # current version so a deliberate resubmit can go through.
            result.refresh_from_db()
            posted = request.POST.copy()
            posted["version"] = str(result.version)
            form = form_class(posted, auto_id=_auto_id(action))
            form.is_valid()
            form.add_error(None, str(stale.message))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done_message % {"q": quarter, "code": code})
            # An explicit fragment, or the browser keeps the form's "#actions".
            return redirect(reverse("review:queue") + "#main")
    return _render_review(request, result, {action: form}, status=400)


def _shown_actions(result):
    """The actions the quarter's state allows, as the page offers them."""
    if result.status == QuarterResult.Status.SUBMITTED:
        first = "score" if result.quarter == FINAL_QUARTER else "accept"
        return (first, "return")
    if result.status == QuarterResult.Status.ACCEPTED:
        return ("reopen",)
    return ()


def _auto_id(action):
    # Several forms share the page: keep their element ids apart.
    return f"id_{action}_%s"


def _add_errors(form, error):
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _render_review(request, result, bound_forms=None, status=200):
    bound_forms = bound_forms or {}
    version = {"version": result.version}
    quarters = selectors_review.quarters_of(result)
    values = services.values_up_to(result, {q: row.value for q, row in quarters.items()})
    suggested = services.computed_score(result, values)
    initial = {"accept": version, "score": {**version, "score": suggested}, "return": version, "reopen": version}
    forms = {
        name: bound_forms.get(name) or form_class(initial=initial[name], auto_id=_auto_id(name))
        for name, (form_class, _service, _message) in ACTIONS.items()
    }
    shown = _shown_actions(result)
    indicator = result.indicator
    target = rules.applicable_target(indicator.annual_target, result.target)
    value_to_date = rules.value_to_date(values, result.quarter, indicator.aggregation)
    narratives = selectors_review.narratives_of(result)
    context = {
        "result": result,
        "indicator": indicator,
        "target": target,
        # The four quarters in brief, beside the forms (the sheet's rules).
        "quarter_rows": quarter_rows.quarter_rows(indicator, quarters),
        "value_to_date": value_to_date,
        "to_date_label": quarter_rows.TO_DATE_LABELS.get(indicator.aggregation, ""),
        "achievement": rules.achievement_percent(value_to_date, target, indicator.direction),
        "suggested_score": suggested,
        "general_narrative": next((n for n in narratives if n.district_group_id is None), None),
        "group_narratives": [n for n in narratives if n.district_group_id is not None and n.text],
        "evidence": selectors_review.evidence_review(result),  # files, checklist, flags
        # The review page shows the quarter's reports and their history.
        "history": indicator_history(indicator, quarter=result.quarter),
        "forms": forms,
        # Errors of an action whose form the quarter's state no longer shows
        # (e.g. a replayed accept); a shown form displays its own errors.
        "action_errors": [
            error for name, form in bound_forms.items() if name not in shown
            for error in form.non_field_errors()
        ],
        "shown_actions": shown,
        "action_urls": {
            # The fragment brings the evaluator back to the forms and messages.
            name: reverse(f"review:{name}", args=[indicator.fiscal_year.year, indicator.code, result.quarter])
            + "#actions"
            for name in ACTIONS
        },
    }
    # The quarter's open threads beside the figures (two queries whatever their number).
    context.update(conversation_pages.indicator_conversation(
        request.user, indicator, result.quarter, open_only=True,
        next_url=reverse("review:quarter", args=[indicator.fiscal_year.year, indicator.code, result.quarter])))
    return render(request, "evaluation/review/review.html", context, status=status)
