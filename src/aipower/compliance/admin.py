"""Read-only admin lists of violations and inactivity notices (recording and deciding happen on
the staff pages, /staff/compliance/, where the rules are applied and audited)."""

from django.contrib import admin

from .models import InactivityNotice, Violation


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Violation)
class ViolationAdmin(ReadOnly):
    list_display = ["id", "company", "rule", "occurred_on", "serious", "sanction", "recorded_at"]
    list_filter = ["sanction", "rule", "serious", "automatic"]
    search_fields = ["company__name", "company__ubn"]


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(ReadOnly):
    list_display = ["allowance", "sent_at", "idle_weeks", "period_weeks", "respond_by", "outcome"]
    list_filter = ["outcome"]
