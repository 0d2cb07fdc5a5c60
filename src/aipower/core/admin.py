"""The audit log in the admin: read-only, with the chain's hashes shown."""

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["action", "object_id", "actor__username", "hash"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
