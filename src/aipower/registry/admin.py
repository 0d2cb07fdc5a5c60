"""Admin: tax-registration snapshots (read-only) and the operator's lists (audited)."""

from django.contrib import admin

from aipower.core.admin import ReadOnlyAdmin
from aipower.core.admin_audit import AuditedModelAdmin

from .models import ListEntry, Snapshot


@admin.register(Snapshot)
class SnapshotAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "source_name",
        "published_on",
        "row_count",
        "skipped_count",
        "status",
        "is_current",
        "imported_at",
    ]
    list_filter = ["status", "is_current"]
    readonly_fields = [f.name for f in Snapshot._meta.fields]


@admin.register(ListEntry)
class ListEntryAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["ubn", "kind", "until", "added_by", "added_at"]
    list_filter = ["kind"]
    search_fields = ["ubn", "reason"]
    readonly_fields = ["added_by", "added_at"]
    fields = ["ubn", "kind", "reason", "until", "added_by", "added_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.added_by = request.user
        super().save_model(request, obj, form, change)
