"""Read-only admin lists of violations and inactivity notices (recording and deciding happen on
the staff pages, /staff/compliance/, where the rules are applied and audited)."""

from django.contrib import admin

from aipower.core.admin import ReadOnlyAdmin

from .models import InactivityNotice, Pledge, Violation, WatchEntry


@admin.register(Violation)
class ViolationAdmin(ReadOnlyAdmin):
    list_display = ["id", "company", "rule", "occurred_on", "serious", "sanction", "recorded_at"]
    list_filter = ["sanction", "rule", "serious", "automatic"]
    search_fields = ["company__name", "company__ubn"]


@admin.register(InactivityNotice)
class InactivityNoticeAdmin(ReadOnlyAdmin):
    list_display = ["allowance", "sent_at", "idle_weeks", "period_weeks", "respond_by", "outcome"]
    list_filter = ["outcome"]


@admin.register(Pledge)
class PledgeAdmin(ReadOnlyAdmin):
    list_display = ["award", "field", "url", "state", "checked_by", "checked_at"]
    list_filter = ["state", "field"]


@admin.register(WatchEntry)
class WatchEntryAdmin(ReadOnlyAdmin):
    list_display = ["company", "reason", "added_by", "added_at"]
    search_fields = ["company__name", "company__ubn"]
