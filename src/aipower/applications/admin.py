"""Read-only admin views of applications, their versions and the mails sent.

Applications change only through ``services`` (the wizard and, later, the review), so the
admin shows them but cannot add, edit or delete them.
"""

from django.contrib import admin

from aipower.core.admin import ReadOnlyAdmin

from .models import Application, ApplicationVersion, SentMail


class VersionInline(admin.TabularInline):
    model = ApplicationVersion
    fields = ["number", "created_at", "created_by", "changed_fields", "fingerprint"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    audit_reads = True
    list_display = ["number", "company", "category", "state", "batch", "submitted_at"]
    list_select_related = ["company", "batch__category__call"]
    list_filter = ["call", "category", "state"]
    search_fields = ["number", "company__name", "company__ubn"]
    inlines = [VersionInline]


@admin.register(SentMail)
class SentMailAdmin(ReadOnlyAdmin):
    audit_reads = True
    list_display = ["queued_at", "status", "sent_at", "attempts", "subject", "application", "error"]
    list_select_related = ["application__company"]
    list_filter = ["status"]
    search_fields = ["subject", "application__number"]
