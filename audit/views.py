"""The audit log's page and its XLSX export: administrators and evaluators
only. Thin: the rows come from log.py."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs import services as jobs
from reports.exports import download

from . import exports, log, tasks
from .forms import AuditFilterForm


def _form(request):
    if not log.may_read(request.user):
        raise PermissionDenied
    return AuditFilterForm(request.GET or None)


def _query(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query


def audit_list(request):
    form = _form(request)
    paginator = Paginator(log.entries(form.filters()), log.PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.elided_range = list(paginator.get_elided_page_range(page.number))
    return render(request, "audit/list.html", {
        "form": form, "page": page, "entries": log.page_entries(page.object_list, request.user),
        "export_query": _query(request).urlencode(), "export_as_job": paginator.count > settings.EXPORT_JOB_ROWS,
    })


def audit_export(request):
    """The file at once up to EXPORT_JOB_ROWS rows, else a background job
    (started by a POST only, after asking)."""
    form = _form(request)
    filters = form.filters()
    rows = log.entries(filters).count()
    if rows <= settings.EXPORT_JOB_ROWS:
        return download(exports.xlsx(filters, request.user), exports.filename())
    query = _query(request).urlencode()
    back = f"{reverse('audit:list')}?{query}"
    if request.method != "POST":
        return render(request, "reports/browse/export_job_confirm.html", {
            "export": _("บันทึกการเปลี่ยนแปลง (XLSX)"), "rows": rows, "action": f"{request.path}?{query}",
            "back": back, "back_label": _("กลับไปที่บันทึกการเปลี่ยนแปลง"),
        })
    params = {key: value for key, value in _query(request).items()}
    try:
        job = jobs.start(user=request.user, kind=tasks.AUDIT_XLSX, params=params,
                         title=_("บันทึกการเปลี่ยนแปลง"), download_name=exports.filename())
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    return redirect("jobs:detail", pk=job.pk)
