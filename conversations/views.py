"""The conversation pages under /conversations/: a quarter's threads (of an
indicator or of a project update), and the forms that start, post, edit,
resolve and reopen, each POST redirected back to the page it came from
(a validated same-site `next`). Rules live in services and permissions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from indicators import permissions as indicator_permissions
from indicators.models import QUARTERS
from projects import permissions as project_permissions

from . import pages, permissions, selectors, services
from .models import Message, Thread

PAGE = "conversations/page.html"


def _quarter(quarter):
    if quarter not in QUARTERS:
        raise Http404
    return quarter


def _indicator(request, year, code, quarter):
    indicator = indicator_permissions.indicator_for(request.user, year, code)
    if not permissions.can_read(request.user, indicator.owner_id):
        raise PermissionDenied
    return indicator, _quarter(quarter)


def _project(request, year, code, quarter):
    project = project_permissions.project_for(request.user, year, code)
    if not permissions.can_read(request.user, project.owner_id):
        raise PermissionDenied
    return project, _quarter(quarter)


def _render_page(request, *, indicator=None, project=None, quarter, status=200, errors=None):
    """The quarter's page; `errors` (a form's key → (messages, typed)) puts
    what was typed back into the form that failed."""
    here = request.path
    if indicator is not None:
        context = pages.indicator_conversation(request.user, indicator, quarter, next_url=here)
        context.update(subject=indicator, kind="indicator")
    else:
        context = pages.project_conversation(request.user, project, quarter, next_url=here)
        context.update(subject=project, kind="project")
    errors = errors or {}
    for thread in context["threads"]:
        thread.form_errors, thread.typed = errors.get(f"post-{thread.pk}", ([], ""))
        for message in thread.messages.all():
            message.form_errors, message.typed = errors.get(f"edit-{message.pk}", ([], None))
    start_errors, start_typed = errors.get("start", ([], {}))
    context["conversation"].update(start_errors=start_errors, start_typed=start_typed)
    context["quarter"] = quarter
    return render(request, PAGE, context, status=status)


def _render_for_thread(request, thread, errors):
    return _render_page(request, indicator=thread.indicator, project=thread.project, quarter=thread.quarter,
                        status=400, errors=errors)


def _next(request, fallback):
    """Back to the page the form was on: a path on this site only."""
    target = request.POST.get("next", "")
    if (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                require_https=request.is_secure())):
        return target.split("#")[0]
    return fallback


def _messages_of(error):
    return [str(m) for m in error.messages]


def _tell_not_mentioned(request, posted):
    if posted.not_mentioned:
        messages.warning(request, _(
            "ไม่ได้แจ้ง %(names)s เพราะไม่มีผู้ใช้ชื่อนี้ หรือผู้ใช้นี้ไม่มีสิทธิ์เห็นการสนทนานี้ "
            "(ข้อความแสดงเป็นตัวอักษรธรรมดา)") % {"names": ", ".join(f"@{n}" for n in posted.not_mentioned)})


def _thread(request, thread_id):
    thread = get_object_or_404(
        Thread.objects.select_related("indicator__fiscal_year", "project__fiscal_year"), pk=thread_id)
    services.check_read(request.user, thread)
    return thread


# --- pages -----------------------------------------------------------------
@require_GET
@login_required
def indicator_page(request, year, code, quarter):
    indicator, quarter = _indicator(request, year, code, quarter)
    return _render_page(request, indicator=indicator, quarter=quarter)


@require_GET
@login_required
def project_page(request, year, code, quarter):
    project, quarter = _project(request, year, code, quarter)
    return _render_page(request, project=project, quarter=quarter)


@require_GET
@login_required
def history(request, message_id):
    message = get_object_or_404(
        Message.objects.select_related("author", "thread__indicator__fiscal_year", "thread__project__fiscal_year"),
        pk=message_id)
    services.check_read(request.user, message.thread)
    return render(request, "conversations/history.html", {
        "message": message, "thread": message.thread, "versions": list(selectors.earlier_versions(message)),
        "page_url": services.subject_url(message.thread),
    })


# --- writes ----------------------------------------------------------------
def _start(request, *, indicator=None, project=None, quarter):
    title, text = request.POST.get("title", ""), request.POST.get("text", "")
    try:
        posted = services.start_thread(user=request.user, quarter=quarter, text=text, title=title,
                                       indicator=indicator, project=project)
    except ValidationError as error:
        return _render_page(request, indicator=indicator, project=project, quarter=quarter, status=400,
                            errors={"start": (_messages_of(error), {"title": title, "text": text})})
    messages.success(request, _("เริ่มการสนทนาแล้ว"))
    _tell_not_mentioned(request, posted)
    thread = posted.message.thread
    return redirect(f"{_next(request, services.subject_url(thread))}#thread-{thread.pk}")


@require_POST
@login_required
def start_indicator(request, year, code, quarter):
    indicator, quarter = _indicator(request, year, code, quarter)
    return _start(request, indicator=indicator, quarter=quarter)


@require_POST
@login_required
def start_project(request, year, code, quarter):
    project, quarter = _project(request, year, code, quarter)
    return _start(request, project=project, quarter=quarter)


@require_POST
@login_required
def post(request, thread_id):
    thread = _thread(request, thread_id)
    text = request.POST.get("text", "")
    try:
        posted = services.post_message(thread=thread, user=request.user, text=text)
    except ValidationError as error:
        return _render_for_thread(request, thread, {f"post-{thread.pk}": (_messages_of(error), text)})
    _tell_not_mentioned(request, posted)
    return redirect(f"{_next(request, services.subject_url(thread))}#message-{posted.message.pk}")


@require_POST
@login_required
def edit(request, message_id):
    message = get_object_or_404(
        Message.objects.select_related("thread__indicator__fiscal_year", "thread__project__fiscal_year"),
        pk=message_id)
    thread = message.thread
    services.check_read(request.user, thread)
    text = request.POST.get("text", "")
    try:
        posted = services.edit_message(message=message, user=request.user, text=text)
    except ValidationError as error:
        return _render_for_thread(request, thread, {f"edit-{message.pk}": (_messages_of(error), text)})
    messages.success(request, _("แก้ไขข้อความแล้ว"))
    _tell_not_mentioned(request, posted)
    return redirect(f"{_next(request, services.subject_url(thread))}#message-{message.pk}")


@require_POST
@login_required
def resolve(request, thread_id):
    thread = _thread(request, thread_id)
    services.resolve(thread=thread, user=request.user)
    messages.success(request, _("ระบุว่าการสนทนาได้ข้อยุติแล้ว"))
    return redirect(f"{_next(request, services.subject_url(thread))}#thread-{thread.pk}")


@require_POST
@login_required
def reopen(request, thread_id):
    thread = _thread(request, thread_id)
    services.reopen(thread=thread, user=request.user)
    messages.success(request, _("เปิดการสนทนาอีกครั้งแล้ว"))
    return redirect(f"{_next(request, services.subject_url(thread))}#thread-{thread.pk}")
