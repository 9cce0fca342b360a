"""The job page with its progress, its JSON status for the page's script,
the download, a retry, and "my background jobs". Thin: every view fetches
the job through services.job_for (404 unless it is the user's, or the user
is an administrator)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import services
from .models import Job


def job_list(request):
    return render(request, "jobs/list.html", {
        "jobs": services.jobs_of(request.user), "keep_days": settings.PRINT_JOB_KEEP_DAYS})


def job_detail(request, pk):
    job = services.job_for(request.user, pk)
    return render(request, "jobs/detail.html", {"job": job, "progress": services.status_of(job)})


def job_status(request, pk):
    job = services.job_for(request.user, pk)
    if job.status == Job.Status.RUNNING and services.recover_stuck():
        job.refresh_from_db()
    response = JsonResponse(services.status_of(job))
    response["Cache-Control"] = "no-store"
    return response


def job_download(request, pk):
    job = services.job_for(request.user, pk)
    if job.status != Job.Status.DONE or not job.file_name or not services.job_file(job).is_file():
        raise Http404
    return FileResponse(services.job_file(job).open("rb"), as_attachment=False, filename=job.download_name)


@require_POST
def job_retry(request, pk):
    job = services.job_for(request.user, pk)
    try:
        services.retry(user=request.user, job=job)
    except services.JobRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("jobs:detail", pk=job.pk)


def moved(name):
    """The view of an address that moved to `name` (jobs lived under
    /reports/jobs/ while only books were made): a permanent redirect that
    keeps the query and, with 308, the method of a POST. Signed out too: the
    new address asks to sign in and comes back to itself."""

    @login_not_required
    def view(request, **kwargs):
        target = reverse(name, kwargs=kwargs)
        if request.META.get("QUERY_STRING"):
            target += "?" + request.META["QUERY_STRING"]
        response = HttpResponsePermanentRedirect(target)
        if request.method == "POST":
            response.status_code = 308
        return response

    return view
