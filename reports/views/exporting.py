"""One way every whole-year export answers (reports/export_jobs.py): the
file at once, or over EXPORT_JOB_ROWS rows a background job behind the
same progress page as a book."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from indicators.views.browse import shared_query
from jobs import kinds
from jobs import services as jobs

from .. import export_jobs, exports


def export_response(request, kind, filterset, **extra):
    """A job is work started on the user's behalf: only a POST starts one;
    a GET (a link followed by a prefetcher or a crawler) asks first."""
    export = export_jobs.EXPORTS[kind]
    params = export_jobs.params_of(filterset, **extra)
    rows = export_jobs.rows(filterset)
    if rows <= settings.EXPORT_JOB_ROWS:
        return exports.download(export.build(filterset, params, None), export.filename(filterset))
    query = shared_query(filterset)
    back = reverse(export.page) + "?" + query
    if request.method != "POST":
        return render(request, "reports/browse/export_job_confirm.html", {
            "export": kinds.get(kind).label, "rows": rows, "action": request.path + "?" + query, "back": back,
            "back_label": export.back,
        })
    try:
        job = export_jobs.start(request.user, export, filterset, params)
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    return redirect("jobs:detail", pk=job.pk)
