"""Data entry pages: the reporter's indicators, the quarter report form,
evidence downloads and an indicator's change history. Thin: permissions ask
indicators/permissions.py and workflow.py, writes go through services.py."""

import logging
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from conversations import pages as conversation_pages
from indicators import permissions, workflow
from indicators.models import QUARTERS
from web import kept_posts

from .. import pending_evidence, services
from ..change_history import indicator_history
from ..checklist import build_checklist
from ..forms import QuarterReportForm
from ..models import ChecklistWaiver, Evidence
from ..selectors import comparison_for, my_indicator_rows, quarter_window, saved_report, writers_since

log = logging.getLogger(__name__)


def my_indicators(request):
    today = timezone.localdate()
    year_number, fiscal_year, open_quarters, rows = my_indicator_rows(request.user, today)
    return render(
        request,
        "reports/entry/my_indicators.html",
        {"year_number": year_number, "fiscal_year": fiscal_year, "open_quarters": open_quarters, "rows": rows},
    )


def _initial(result, narratives, indicator):
    initial = {"version": result.version if result else 0}
    if result is not None and result.value is not None:
        initial["value"] = result.value.quantize(_quantum(indicator.decimal_places))
        # Confirmed once, the saved value needs no second confirmation.
        initial["confirm_plausible"] = result.plausibility_confirmed
    for narrative in narratives:
        key = "narrative" if narrative.district_group_id is None else f"narrative_group_{narrative.district_group_id}"
        initial[key] = narrative.text
    return initial


def _quantum(places):
    return Decimal(1).scaleb(-places)


@kept_posts.keeps_post_across_sign_in
def quarter_report(request, year, code, quarter):
    if quarter not in QUARTERS:
        raise Http404
    indicator = permissions.indicator_for(request.user, year, code, may=permissions.can_report_on)
    today = timezone.localdate()
    context = _report_context(indicator, quarter, request.user, today)
    form_kwargs = {
        "indicator": indicator,
        "comparison": comparison_for(indicator, quarter),
        "pending": pending_evidence.kept_for(request.user, indicator, quarter),
        "items": context["checklist_items"],
        "waivers": context["waivers"],
    }

    if request.method != "POST":
        try:
            kept = kept_posts.restored(request)
        except kept_posts.NotRestored as problem:
            kept, context["not_restored"] = None, str(problem)
        if kept is not None:
            # What was typed before the session ended, unsaved, as it was typed
            # (read-only under a refusal: the quarter closed meanwhile).
            context.update(restored=kept, form=QuarterReportForm(
                kept.data, submit=kept.data.get("action") == "submit", evidence=context["evidence"], **form_kwargs))
        elif not context["refusal"]:
            context["form"] = QuarterReportForm(
                initial=_initial(context["result"], context["narratives"], indicator),
                evidence=context["evidence"],
                **form_kwargs,
            )
        # With a refusal the page is read-only: the saved report and the reason.
        return render(request, TEMPLATE, context)

    submit = request.POST.get("action") == "submit"
    form = QuarterReportForm(request.POST, request.FILES, submit=submit, evidence=context["evidence"], **form_kwargs)
    if context["refusal"]:
        return _refused_post(request, context, form, submit, form_kwargs)
    if not form.is_valid():
        _keep_files(request, context, form)
        return render(request, TEMPLATE, context, status=400)
    try:
        services.save_quarter_report(
            user=request.user,
            indicator=indicator,
            quarter_number=quarter,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            today=today,
        )
    except ValidationError as error:
        form.add_error(None, error)
        # The storage failed writing a file: writing it again as pending
        # would fail too, so those files are asked for again.
        _keep_files(request, context, form, store_new=getattr(error, "code", None) != "storage")
        return render(request, TEMPLATE, context, status=400)
    except (services.ReportRefused, workflow.StaleVersion):
        # Changed between our read and the locked write: show it as it is now.
        context = _report_context(indicator, quarter, request.user, today)
        return _refused_post(request, context, form, submit, form_kwargs)
    pending_evidence.drop(form.dropped_pending())

    kept_posts.discard(request)
    if submit:
        done = _("ส่งผลการดำเนินงานไตรมาสที่ %(n)s แล้ว") % {"n": quarter}
    else:
        done = _("บันทึกฉบับร่างไตรมาสที่ %(n)s แล้ว") % {"n": quarter}
    # The page opens on the message (base.html's #messages), which links
    # down to the quarter's report: opening on the quarter would scroll
    # the message out of view.
    messages.success(request, format_html(
        '{} <a class="alert-link" href="#narrative-{}">{}</a>',
        done, quarter, _("ดูรายงานผลฯ ไตรมาสที่ %(n)s") % {"n": quarter},
    ))
    return redirect(f"{indicator.get_absolute_url()}#messages")


TEMPLATE = "reports/entry/report_form.html"


def _report_context(indicator, quarter, user, today):
    result, narratives, evidence = saved_report(indicator, quarter)
    window = quarter_window(indicator, quarter)
    items = list(indicator.data_source_items.order_by("order", "id"))
    waivers = list(ChecklistWaiver.objects.filter(indicator=indicator, quarter=quarter))
    return {
        "checklist_items": items,
        "waivers": waivers,
        # The saved checklist, for the read-only page and the conflict notice.
        "checklist": build_checklist(items, evidence, waivers),
        "indicator": indicator,
        "quarter": quarter,
        "window": window,
        "result": result,
        "narratives": narratives,
        "evidence": evidence,
        "refusal": workflow.edit_refusal(user, indicator, window, result, today),
        "reopening": workflow.reopening(window, result, today),
        "today": today,
        # Who typed the form, so a post kept across a sign-in goes back only to them.
        "author_field": kept_posts.AUTHOR_FIELD,
        "author_mark": kept_posts.author_mark(user),
        # The quarter's conversation below the form (two queries).
        **conversation_pages.indicator_conversation(
            user, indicator, quarter,
            next_url=reverse("entry:report", args=[indicator.fiscal_year.year, indicator.code, quarter])),
    }


def _posted_version(request):
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _keep_files(request, context, form, store_new=True):
    """A post that saved nothing but may be sent again: the files it carried
    that passed the checks are kept for this user (pending_evidence), and
    the form shows them with the ones kept before, minus those dropped."""
    form.is_valid()  # a form refused for a conflict may not be cleaned yet
    pending_evidence.delete_expired()
    pending_evidence.drop(form.dropped_pending())
    kept, failed = [], len(form.accepted_files)
    if store_new:
        kept, failed = pending_evidence.keep(
            user=request.user, indicator=context["indicator"], quarter=context["quarter"], files=form.accepted_files,
            item_id=form.chosen_files_item(),
        )
    context.update(form=form, pending_files=form.kept_pending() + kept, files_to_choose_again=failed > 0)


def _refused_post(request, context, form, submit, form_kwargs):
    """A save that cannot happen: the quarter closed, or someone else saved
    since this writer loaded it. Nothing is saved; everything typed comes
    back; the other person's change is shown; when the quarter is still
    open the writer may save again knowingly (the form now carries the
    current version)."""
    result = context["result"]
    current_version = result.version if result else 0
    posted_version = _posted_version(request)
    conflict = posted_version != current_version
    may_send_again = not context["refusal"]
    if may_send_again:
        _keep_files(request, context, form)
    if conflict:
        data = request.POST.copy()
        data["version"] = str(current_version)
        form = QuarterReportForm(data, submit=submit, evidence=context["evidence"], **form_kwargs)
        context.update(
            conflict=result,
            conflict_narratives=context["narratives"],
            conflict_evidence=list(context["evidence"]),
            # The same person in another tab or window is not "someone else".
            conflict_by_self=result is not None and writers_since(result, posted_version) == {request.user.pk},
        )
    context["form"] = form
    if not may_send_again:
        context["files_to_choose_again"] = bool(request.FILES)
    return render(request, TEMPLATE, context, status=409 if conflict else 403)


def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("indicator"), pk=pk)
    if not permissions.can_view_indicator(request.user, evidence.indicator):
        raise PermissionDenied
    if evidence.removed_at is not None:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        # The record outlived its file: say so (410 Gone) rather than "no such page".
        log.warning("evidence %s: stored file %s is missing", evidence.pk, evidence.file.name)
        return render(request, "reports/entry/evidence_missing.html", {"evidence": evidence}, status=410)
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name, content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def history(request, year, code):
    indicator = permissions.indicator_for(request.user, year, code)
    return render(
        request, "reports/entry/history.html", {"indicator": indicator, "entries": indicator_history(indicator)}
    )
