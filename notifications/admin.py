from django.contrib import admin

from .models import DefaultPreference, Notification, Preference, ReminderSettings, SentReminder


@admin.register(DefaultPreference)
class DefaultPreferenceAdmin(admin.ModelAdmin):
    """The administrators' defaults per kind, for users who chose nothing."""

    list_display = ["kind", "delivery"]
    list_editable = ["delivery"]


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(admin.ModelAdmin):
    list_display = ["fiscal_year", "days_before", "overdue_notice", "copy_overdue_to_manager"]
    list_editable = ["days_before", "overdue_notice", "copy_overdue_to_manager"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "read_at", "mailed_at"]
    list_filter = ["kind"]
    search_fields = ["recipient__username", "title"]
    raw_id_fields = ["recipient", "indicator"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    raw_id_fields = ["user"]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "recipient", "key"]
    search_fields = ["key", "recipient__username"]
    raw_id_fields = ["recipient"]
