"""The project's facts and activities at /projects/<year>/<code>/edit/, for
the owner agency's reporters and administrators: one form of the facts and
one of its activities, saved together or not at all, each change kept in the
history (record_change). Refused input is shown again as typed."""

from django import forms
from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.dates import ThaiDateField
from indicators.models import Agency, Indicator
from indicators.workflow import record_change

from .. import standing
from ..models import Milestone, Project
from ..permissions import can_report_on_project, project_for, visible_projects
from ..progress import weights_refusal

DATE_FIELDS = ("planned_start", "planned_finish", "actual_start", "actual_finish")


class IndicatorChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, indicator):
        return f"{indicator.code} {indicator.name}"


class EarlierProjectChoice(forms.ModelChoiceField):
    def label_from_instance(self, project):
        return f"{project.code} {project.name}"


class ProjectFactsForm(forms.ModelForm):
    """The facts a project's owner keeps: not its code, year or owner (they
    name it), nor its updates (the quarterly form's)."""

    class Meta:
        model = Project
        fields = ["name", "responsible_name", "responsible_phone", "rationale", "objectives", "target_group",
                  "districts", *DATE_FIELDS, "budget_allocated", "budget_source", "continues_from", "indicators"]
        field_classes = {name: ThaiDateField for name in DATE_FIELDS} | {
            "indicators": IndicatorChoices, "continues_from": EarlierProjectChoice}
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "rationale": forms.Textarea(attrs={"rows": 5}),
            "objectives": forms.Textarea(attrs={"rows": 4}),
            "target_group": forms.Textarea(attrs={"rows": 3}),
            "districts": forms.CheckboxSelectMultiple,
            "indicators": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        project = self.instance
        year = project.fiscal_year.year
        # The indicators it supports are of its own year; the project it
        # continues is one of last year's this user may see.
        self.fields["indicators"].queryset = Indicator.objects.filter(fiscal_year=project.fiscal_year).only(
            "pk", "code", "name").order_by("code")
        self.fields["continues_from"].queryset = visible_projects(
            user, Project.objects.filter(fiscal_year__year=year - 1)).only("pk", "code", "name").order_by("code")
        self.fields["districts"].queryset = Agency.objects.filter(kind=Agency.Kind.DISTRICT_OFFICE).order_by("code")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select | forms.SelectMultiple) else "form-control"
            field.widget.attrs.setdefault("class", css)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["order", "name", "weight", "planned_start", "planned_finish"]
        field_classes = {"planned_start": ThaiDateField, "planned_finish": ThaiDateField}
        widgets = {"order": forms.NumberInput(attrs={"class": "form-control form-control-sm", "min": 0}),
                   "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
                   "weight": forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "0.01"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("planned_start", "planned_finish"):
            self.fields[name].widget.attrs.setdefault("class", "form-control form-control-sm")
            self.fields[name].help_text = ""

    def clean(self):
        cleaned = super().clean()
        start, finish = cleaned.get("planned_start"), cleaned.get("planned_finish")
        if start and finish and start > finish:
            self.add_error("planned_finish", _("วันสิ้นสุดตามแผนต้องไม่ก่อนวันเริ่มตามแผน"))
        return cleaned


class BaseMilestoneFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        # The activities share the whole project: their weights total 100.
        # (An extra row left blank has no cleaned_data; a deleted one no longer counts.)
        kept = [form for form in self.forms if form.cleaned_data and not self._should_delete_form(form)]
        refusal = weights_refusal(form.cleaned_data.get("weight") for form in kept)
        if refusal:
            raise forms.ValidationError(refusal, code="weights")


MilestoneFormSet = forms.inlineformset_factory(
    Project, Milestone, form=MilestoneForm, formset=BaseMilestoneFormSet, extra=2, can_delete=True,
)

EDIT_REASON = gettext_lazy("แก้ไขข้อมูลโครงการและกิจกรรม")


def edit(request, year, code):
    project = project_for(request.user, year, code, may=can_report_on_project)
    if request.method == "POST":
        form = ProjectFactsForm(request.POST, instance=project, user=request.user)
        formset = MilestoneFormSet(request.POST, instance=project, prefix="milestones")
        if form.is_valid() and formset.is_valid():
            with transaction.atomic():
                _save(request.user, form, formset)
            messages.success(request, _("บันทึกข้อมูลโครงการแล้ว"))
            return redirect(project.get_absolute_url())
        messages.error(request, _("ยังไม่ได้บันทึก กรุณาแก้ไขรายการที่แจ้งไว้"))
    else:
        form = ProjectFactsForm(instance=project, user=request.user)
        formset = MilestoneFormSet(instance=project, prefix="milestones")
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/edit.html", {"project": project, "form": form, "formset": formset},
                  status=status)


def _save(user, form, formset):
    """The facts and the activities, each change in the history with who
    made it."""
    project = form.instance
    record_change(project, user, str(EDIT_REASON))
    form.save()
    for milestone_form in formset.forms:
        record_change(milestone_form.instance, user, str(EDIT_REASON))
    formset.save()
    # The activities and dates move the plan: the list's stored standing.
    standing.refresh_ids([project.pk], timezone.localdate())
