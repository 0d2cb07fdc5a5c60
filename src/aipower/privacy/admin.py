"""Read-only admin list of personal-data requests (handling happens on the staff pages,
/staff/privacy/, where the workflow is applied and audited)."""

from django.contrib import admin

from aipower.core.admin import ReadOnlyAdmin

from .models import DataRequest, DataRequestEvent


class EventInline(admin.TabularInline):
    model = DataRequestEvent
    fields = ["at", "action", "from_state", "to_state", "note", "actor"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DataRequest)
class DataRequestAdmin(ReadOnlyAdmin):
    audit_reads = True
    list_display = ["id", "company", "kind", "person", "state", "created_at", "handled_at"]
    list_filter = ["kind", "state", "person", "channel"]
    search_fields = ["company__name", "company__ubn"]
    inlines = [EventInline]
