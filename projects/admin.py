from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import THAI_DATES

from . import progress, standing
from .models import Milestone, Project, ProjectUpdate


class MilestoneFormSet(BaseInlineFormSet):
    """The activities' weights total 100 here too, as on the edit page."""

    def clean(self):
        super().clean()
        weights = [form.cleaned_data.get("weight") for form in self.forms
                   if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        refusal = progress.weights_refusal(weights)
        if refusal:
            raise ValidationError(refusal)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    formset = MilestoneFormSet
    formfield_overrides = THAI_DATES
    extra = 0


def refresh_standing(project: Project) -> None:
    """What the list filters on (projects/standing.py) follows an admin's edit at once."""
    standing.refresh(Project.objects.filter(pk=project.pk), timezone.localdate())


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "owner", "fiscal_year", "planned_start", "planned_finish", "budget_allocated"]
    list_filter = ["fiscal_year", "owner"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["indicators", "continues_from"]
    filter_horizontal = ["districts"]
    inlines = [MilestoneInline]
    # Dates typed and shown in Buddhist Era, as in the indicators' admin.
    formfield_overrides = THAI_DATES

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        refresh_standing(form.instance)


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["project", "quarter", "status", "progress", "disbursed", "score"]
    list_filter = ["status", "quarter", "project__fiscal_year"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project"]
    formfield_overrides = THAI_DATES

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        refresh_standing(obj.project)
