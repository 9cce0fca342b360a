"""The signed-in user's notifications: the list, opening one (marks it read
and goes to its page), marking all read, and their preferences. Every view
reads only the user's own rows."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import PreferencesForm

PAGE_SIZE = 50


def notification_list(request):
    page = Paginator(services.notifications_of(request.user).select_related("indicator"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@require_POST
def notification_open(request, pk):
    notice = get_object_or_404(services.notifications_of(request.user), pk=pk)
    services.mark_read(request.user, [notice.pk])
    if notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()}):
        return redirect(notice.url)
    return redirect("notifications:list")


@require_POST
def mark_all_read(request):
    count = services.mark_read(request.user)
    messages.success(request, _("ทำเครื่องหมายว่าอ่านแล้ว %(n)s รายการ") % {"n": count})
    return redirect("notifications:list")


def preferences(request):
    form = PreferencesForm(request.POST or None, current=services.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        services.set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("บันทึกการตั้งค่าการแจ้งเตือนแล้ว"))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
