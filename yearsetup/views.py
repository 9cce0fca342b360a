"""Setting up a year from a workbook: the import (upload, the dry run's
preview, confirm, the import's outcome), the export of a year or of the
list as filtered, the template, and the rollover to the next year. Only
administrators import and roll over; the checks and writes run as
background jobs (jobs/, yearsetup/tasks.py), so a big file does not hold a request."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import permissions
from indicators.filters import filter_for
from jobs import services as jobs
from jobs.models import Job
from reports.views.exporting import export_response

from . import job_kinds, tasks
from .forms import ImportForm, RolloverForm
from .workbook import files
from .workbook.export import XLSX_TYPE, template_workbook


def _administrator(request):
    if not permissions.is_administrator(request.user):
        raise PermissionDenied


def _xlsx(content, name):
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _import_job(request, pk):
    _administrator(request)
    job = jobs.job_for(request.user, pk)
    if job.kind not in job_kinds.IMPORTS:
        raise Http404
    return job


def import_start(request):
    _administrator(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files.check_size(upload.size)  # before reading it into memory
            token = files.store(upload.read(), owner_id=request.user.pk, name=upload.name)
            job = jobs.start(user=request.user, kind=job_kinds.IMPORT_CHECK, title=upload.name,
                             download_name="", params={
                                 "token": token, "year": form.cleaned_data["year"],
                                 "allow_scored_target_change": form.cleaned_data["allow_scored_target_change"],
                                 "base_url": request.build_absolute_uri("/")})
        except (files.WorkbookRefused, jobs.JobRefused) as refusal:
            form.add_error("file", str(refusal))
        else:
            return redirect("workbook:import_job", pk=job.pk)
    return render(request, "yearsetup/import.html", {"form": form, "max_mb": files.max_bytes() >> 20})


def import_job(request, pk):
    job = _import_job(request, pk)
    return render(request, "yearsetup/result.html", {
        "job": job, "progress": jobs.status_of(job), "summary": job.result})


@require_POST
def import_apply(request, pk):
    job = _import_job(request, pk)
    if job.kind != job_kinds.IMPORT_CHECK or job.status != Job.Status.DONE or not job.result.get("ok"):
        messages.error(request, str(_("ไฟล์นี้ยังตรวจสอบไม่ผ่าน จึงนำเข้าไม่ได้")))
        return redirect("workbook:import_job", pk=job.pk)
    try:
        applied = jobs.start(user=request.user, kind=job_kinds.IMPORT_APPLY, title=job.title,
                             download_name="", params=job.params)
    except jobs.JobRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("workbook:import_job", pk=job.pk)
    return redirect("workbook:import_job", pk=applied.pk)


def template(request):
    _administrator(request)
    return _xlsx(template_workbook(), "kpi-import-template.xlsx")


def export(request):
    """The list as filtered (the year chosen on the list, by default the
    latest), in the import format, of what the user may see; a background job
    over EXPORT_JOB_ROWS indicators (25,000 took 16 s)."""
    filterset, _years = filter_for(request.user, request.GET)
    # The projects sheets are of what this user may see (apps._viewer).
    return export_response(request, job_kinds.WORKBOOK_XLSX, filterset, viewer=str(request.user.pk or ""))


def rollover_year(request):
    """The form; the rollover itself is a background job (2,500 indicators
    copied with their strategy links), followed on its own page."""
    _administrator(request)
    form = RolloverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        source = form.cleaned_data["source"]
        try:
            job = jobs.start(user=request.user, kind=job_kinds.ROLLOVER,
                             title=_("ปีงบประมาณ %(y)s จากปี %(s)s") % {"y": source + 1, "s": source},
                             params=tasks.rollover_params(source=source, carry_targets=form.cleaned_data["carry_targets"],
                                                          windows=form.windows(),
                                                          carry_projects=form.cleaned_data["carry_projects"]))
        except jobs.JobRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("workbook:rollover_job", pk=job.pk)
    return render(request, "yearsetup/rollover.html", {"form": form})


def rollover_job(request, pk):
    """The rollover's progress; once done, the new year's list with what was made."""
    _administrator(request)
    job = jobs.job_for(request.user, pk)
    if job.kind != job_kinds.ROLLOVER:
        raise Http404
    if job.status == Job.Status.DONE:
        rolled = job.result
        messages.success(request, str(_(
            "เริ่มปีงบประมาณ %(y)s แล้ว: สร้างตัวชี้วัด %(n)s ตัวชี้วัด (มีอยู่แล้ว %(had)s) ยกโครงการมา %(p)s โครงการ"
        ) % {"y": rolled["year"], "n": rolled["created"], "had": rolled["already_there"],
             "p": rolled.get("projects_created", 0)}))
        return redirect(f"/?year={rolled['year']}")
    return render(request, "yearsetup/rollover_job.html", {"job": job, "progress": jobs.status_of(job)})
