from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Milestone, Project, ProjectUpdate


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "owner", "fiscal_year", "planned_start", "planned_finish", "budget_allocated"]
    list_filter = ["fiscal_year", "owner"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["indicators", "continues_from"]
    filter_horizontal = ["districts"]
    inlines = [MilestoneInline]


@admin.register(ProjectUpdate)
class ProjectUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["project", "quarter", "status", "progress", "disbursed", "score"]
    list_filter = ["status", "quarter", "project__fiscal_year"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project"]
