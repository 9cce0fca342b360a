from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every token (never the token itself, only its
    first characters) and may revoke any; tokens are made by their owners."""

    list_display = ["name", "user", "shown", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "shown"]
    readonly_fields = ["user", "name", "shown", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("เพิกถอนโทเค็นที่เลือก"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()
