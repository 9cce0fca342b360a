"""Data entry pages: the reporter's indicators, the quarter report form,
evidence downloads and an indicator's change history. Thin: permissions ask
indicators/permissions.py and workflow.py, writes go through services.py."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import permissions, workflow
from indicators.models import QUARTERS, Indicator, QuarterResult

from . import services
from .change_history import indicator_history
from .forms import QuarterReportForm
from .models import Evidence, Narrative
from .my_indicators import my_indicator_rows


def my_indicators(request):
    today = timezone.localdate()
    year_number, fiscal_year, open_quarters, rows = my_indicator_rows(request.user, today)
    return render(
        request,
        "reports/entry/my_indicators.html",
        {"year_number": year_number, "fiscal_year": fiscal_year, "open_quarters": open_quarters, "rows": rows},
    )


def _indicator_or_404(year, code):
    return get_object_or_404(
        Indicator.objects.select_related("fiscal_year", "owner"), fiscal_year__year=year, code=code
    )


def _previous_value(indicator, quarter):
    """The latest result reported before this quarter, for the cumulative check."""
    earlier = (
        QuarterResult.objects.filter(indicator=indicator, quarter__lt=quarter, value__isnull=False)
        .order_by("-quarter")
        .first()
    )
    return earlier.value if earlier else None


def _saved_report(indicator, quarter):
    result = QuarterResult.objects.filter(indicator=indicator, quarter=quarter).select_related("updated_by").first()
    narratives = list(
        Narrative.objects.filter(indicator=indicator, quarter=quarter).select_related("district_group")
    )
    evidence = Evidence.objects.filter(indicator=indicator, quarter=quarter, removed_at__isnull=True).order_by(
        "uploaded_at", "id"
    )
    return result, narratives, evidence


def _initial(result, narratives, indicator):
    initial = {"version": result.version if result else 0}
    if result is not None and result.value is not None:
        initial["value"] = result.value.quantize(_quantum(indicator.decimal_places))
    for narrative in narratives:
        key = "narrative" if narrative.district_group_id is None else f"narrative_group_{narrative.district_group_id}"
        initial[key] = narrative.text
    return initial


def _quantum(places):
    return Decimal(1).scaleb(-places)


def quarter_report(request, year, code, quarter):
    if quarter not in QUARTERS:
        raise Http404
    indicator = _indicator_or_404(year, code)
    if not permissions.can_report_on(request.user, indicator):
        raise PermissionDenied
    today = timezone.localdate()
    result, narratives, evidence = _saved_report(indicator, quarter)
    window = services.quarter_of(indicator, quarter)
    refusal = workflow.edit_refusal(request.user, indicator, window, result, today)
    context = {
        "indicator": indicator,
        "quarter": quarter,
        "window": window,
        "result": result,
        "narratives": narratives,
        "evidence": evidence,
        "refusal": refusal,
    }
    if refusal:
        # Read-only: the saved report and why it cannot be changed now.
        return render(
            request, "reports/entry/report_form.html", context, status=403 if request.method == "POST" else 200
        )

    form_kwargs = {
        "indicator": indicator,
        "previous_value": _previous_value(indicator, quarter),
        "evidence": evidence,
    }
    if request.method != "POST":
        context["form"] = QuarterReportForm(initial=_initial(result, narratives, indicator), **form_kwargs)
        return render(request, "reports/entry/report_form.html", context)

    submit = request.POST.get("action") == "submit"
    form = QuarterReportForm(request.POST, request.FILES, submit=submit, **form_kwargs)
    context["form"] = form
    if not form.is_valid():
        context["files_to_choose_again"] = bool(request.FILES)
        return render(request, "reports/entry/report_form.html", context, status=400)
    try:
        services.save_quarter_report(
            user=request.user,
            indicator=indicator,
            quarter_number=quarter,
            expected_version=form.cleaned_data["version"],
            changes=form.changes(),
            today=today,
        )
    except services.ReportRefused as refused:
        context["refusal"] = str(refused)
        return render(request, "reports/entry/report_form.html", context, status=403)
    except services.ConcurrentEdit as conflict:
        return _conflict(request, context, form, conflict.current, submit, form_kwargs)

    if submit:
        messages.success(request, _("ส่งผลการดำเนินงานไตรมาสที่ %(n)s แล้ว") % {"n": quarter})
    else:
        messages.success(request, _("บันทึกฉบับร่างไตรมาสที่ %(n)s แล้ว") % {"n": quarter})
    return redirect(f"{indicator.get_absolute_url()}#quarter-{quarter}")


def _conflict(request, context, form, current, submit, form_kwargs):
    """Someone saved first. Keep everything this writer typed, show the
    other person's version, and let them save again knowingly."""
    data = request.POST.copy()
    data["version"] = str(current.version)
    result, narratives, evidence = _saved_report(context["indicator"], context["quarter"])
    form_kwargs["evidence"] = evidence
    context.update(
        form=QuarterReportForm(data, submit=submit, **form_kwargs),
        conflict=result,
        conflict_narratives=narratives,
        conflict_evidence=list(evidence),
        files_to_choose_again=bool(request.FILES),
        result=result,
        narratives=narratives,
        evidence=evidence,
    )
    # The other person's save may have closed the quarter (e.g. submitted it).
    context["refusal"] = workflow.edit_refusal(
        request.user, context["indicator"], services.quarter_of(context["indicator"], context["quarter"]),
        result, timezone.localdate(),
    )
    return render(request, "reports/entry/report_form.html", context, status=409)


def evidence_download(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("indicator"), pk=pk)
    if not permissions.can_view_indicator(request.user, evidence.indicator):
        raise PermissionDenied
    if evidence.removed_at is not None:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def history(request, year, code):
    indicator = _indicator_or_404(year, code)
    if not permissions.can_view_indicator(request.user, indicator):
        raise PermissionDenied
    return render(
        request, "reports/entry/history.html", {"indicator": indicator, "entries": indicator_history(indicator)}
    )
