from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MANDATORY, Delivery, Kind


class PreferencesForm(forms.Form):
    """One choice per kind; mandatory kinds offer no "off"."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            choices = [c for c in Delivery.choices if not (kind in MANDATORY and c[0] == Delivery.OFF)]
            help_text = _("การแจ้งเตือนประเภทนี้ปิดไม่ได้") if kind in MANDATORY else ""
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=choices, initial=current[kind.value], help_text=help_text,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
