from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Narrative


@admin.register(Narrative)
class NarrativeAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "quarter", "district_group", "updated_at"]
    list_filter = ["quarter", "district_group"]
