from django import forms
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.dates import ThaiDateField
from indicators.models import ApproverStandIn

from . import selectors
from .services import COMMENT_MAX_LENGTH


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReturnForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("สิ่งที่ต้องการให้ผู้รายงานแก้ไข"), widget=forms.Textarea(attrs={"rows": 4}),
        max_length=COMMENT_MAX_LENGTH,
        error_messages={"required": _("กรุณาระบุสิ่งที่ต้องการให้ผู้รายงานแก้ไข")},
    )


class QueueFilter(forms.Form):
    agency = forms.TypedChoiceField(label=_("หน่วยงาน"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("ประเภท"), required=False, choices=[
        ("", _("ทั้งหมด")), (selectors.INDICATORS, _("ตัวชี้วัด")), (selectors.PROJECTS, _("โครงการ"))])

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("ทุกหน่วยงาน"))] + [(a.pk, a.name) for a in agencies]


class StandInForm(forms.ModelForm):
    """An approver names a stand-in by user name for a date range."""

    stand_in_username = forms.CharField(label=_("ชื่อผู้ใช้ของผู้ปฏิบัติหน้าที่แทน"), max_length=150,
                                        error_messages={"required": _("กรุณาระบุชื่อผู้ใช้")})
    starts_on = ThaiDateField(label=_("ตั้งแต่วันที่"), error_messages={"required": _("กรุณาระบุวันเริ่ม")})
    ends_on = ThaiDateField(label=_("ถึงวันที่"), error_messages={"required": _("กรุณาระบุวันสิ้นสุด")})

    field_order = ["stand_in_username", "starts_on", "ends_on"]

    class Meta:
        model = ApproverStandIn
        fields = ["starts_on", "ends_on"]

    def __init__(self, *args, approver: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.approver = approver

    def clean_stand_in_username(self):
        username = self.cleaned_data["stand_in_username"].strip()
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("ไม่พบผู้ใช้ “%(u)s” ในระบบ"), params={"u": username})
        if user.pk == self.instance.approver_id:
            raise forms.ValidationError(_("ผู้ปฏิบัติหน้าที่แทนต้องไม่ใช่ผู้อนุมัติเอง"))
        self.instance.stand_in = user
        return username

    def clean_ends_on(self):
        ends_on = self.cleaned_data["ends_on"]
        if ends_on < timezone.localdate():
            raise forms.ValidationError(_("วันสิ้นสุดต้องไม่ก่อนวันนี้"))
        return ends_on
