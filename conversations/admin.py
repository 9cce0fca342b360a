from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Message, Thread


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = ("author", "text", "created_at", "edited_at")
    readonly_fields = ("author", "created_at", "edited_at")


@admin.register(Thread)
class ThreadAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "indicator", "project", "quarter", "created_by", "created_at", "resolved_at")
    list_filter = ("quarter",)
    raw_id_fields = ("indicator", "project", "created_by", "resolved_by")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "thread", "author", "created_at", "edited_at")
    raw_id_fields = ("thread", "author")
