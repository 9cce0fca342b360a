"""The tokens page (user menu → โทเค็น API): a signed-in user makes personal
API tokens, sees them (never the token itself again) and revokes them."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .models import ApiToken

# Active tokens one user may hold at once.
MAX_ACTIVE = 20
LIFETIMES = [
    ("30", gettext_lazy("30 วัน")),
    ("90", gettext_lazy("90 วัน")),
    ("365", gettext_lazy("1 ปี")),
    ("", gettext_lazy("ไม่มีวันหมดอายุ")),
]


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("ชื่อโทเค็น (ใช้กับระบบหรือสคริปต์ใด)"), max_length=100,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    lifetime = forms.ChoiceField(label=gettext_lazy("อายุของโทเค็น"), choices=LIFETIMES, initial="90", required=False,
                                 widget=forms.Select(attrs={"class": "form-select"}))


@never_cache
def token_list(request):
    tokens = list(ApiToken.objects.filter(user=request.user))
    created = None
    status = 200
    if request.method == "POST":
        form = TokenForm(request.POST)
        active = sum(1 for token in tokens if token.active)
        if active >= MAX_ACTIVE:
            form.add_error(None, _("มีโทเค็นที่ใช้งานได้ครบ %(n)s รายการแล้ว กรุณาเพิกถอนโทเค็นที่ไม่ใช้ก่อน")
                           % {"n": MAX_ACTIVE})
        if form.is_valid():
            lifetime = form.cleaned_data["lifetime"]
            token, raw = ApiToken.issue(request.user, form.cleaned_data["name"].strip(),
                                        int(lifetime) if lifetime else None)
            # Shown on this answer only: it is not stored and cannot be shown again.
            created = {"token": token, "raw": raw}
            tokens.insert(0, token)
            form = TokenForm()
        else:
            status = 400
    else:
        form = TokenForm()
    return render(request, "api/tokens.html", {"form": form, "tokens": tokens, "created": created}, status=status)


@require_POST
def revoke(request, pk):
    # Another user's token is as good as missing.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.revoke()
    messages.success(request, _("เพิกถอนโทเค็น “%(name)s” แล้ว ระบบจะไม่รับโทเค็นนี้อีก") % {"name": token.name})
    return redirect("api_tokens")
