"""The audit log in the admin: read-only, with the chain's hashes shown; and the read-only
admin base every app uses for records that change only through its services."""

from django.contrib import admin

from .models import AuditEntry


class ReadOnlyMixin:
    """Admin pages that show and never add, change or delete (inlines too)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action", "actor", "object_type", "object_id", "ip"]
    list_filter = ["action"]
    search_fields = ["action", "object_id", "actor__username", "hash"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
