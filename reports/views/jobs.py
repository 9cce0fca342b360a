"""Print jobs: the job page with its progress, its JSON status for the
page's script, the download, a retry, and "my print jobs". Thin: every
view fetches the job through jobs.job_for (404 unless it is the user's, or
the user is an administrator)."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .. import jobs
from ..models import PrintJob


def job_list(request):
    return render(request, "reports/jobs/list.html", {
        "jobs": jobs.jobs_of(request.user), "keep_days": settings.PRINT_JOB_KEEP_DAYS})


def job_detail(request, pk):
    job = jobs.job_for(request.user, pk)
    return render(request, "reports/jobs/detail.html", {"job": job, "progress": jobs.status_of(job)})


def job_status(request, pk):
    job = jobs.job_for(request.user, pk)
    if job.status == PrintJob.Status.RUNNING and jobs.recover_stuck():
        job.refresh_from_db()
    response = JsonResponse(jobs.status_of(job))
    response["Cache-Control"] = "no-store"
    return response


def job_download(request, pk):
    job = jobs.job_for(request.user, pk)
    if job.status != PrintJob.Status.DONE or not jobs.job_file(job).is_file():
        raise Http404
    return FileResponse(jobs.job_file(job).open("rb"), as_attachment=False, filename=job.download_name)


@require_POST
def job_retry(request, pk):
    job = jobs.job_for(request.user, pk)
    try:
        jobs.retry(user=request.user, job=job)
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
    return redirect("printing:job", pk=job.pk)
