"""Read-only admin views of the deliverables: companies hand in through their page and the
operator records the demo meeting on the staff page (both audited), never in the admin. The
files are downloaded from the staff page (audited); the admin shows their name and hash only."""

from django.contrib import admin

from aipower.core.admin import ReadOnlyAdmin

from .models import DemoAttendance, Notice, Submission


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["award", "item", "original_name", "link", "submitted_by", "submitted_at"]
    # Not the file itself: it has no URL (the staff page downloads it, audited).
    fields = [
        "award",
        "item",
        "original_name",
        "size",
        "sha256",
        "link",
        "submitted_by",
        "submitted_at",
    ]
    list_filter = ["item"]
    search_fields = ["award__company__name", "award__company__ubn", "original_name", "link"]
    date_hierarchy = "submitted_at"
    list_select_related = ["award__company", "submitted_by"]


@admin.register(DemoAttendance)
class DemoAttendanceAdmin(ReadOnlyAdmin):
    list_display = ["award", "attended", "meeting_on", "recorded_by", "recorded_at"]
    list_filter = ["attended"]
    search_fields = ["award__company__name", "award__company__ubn"]
    list_select_related = ["award__company", "recorded_by"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["award", "kind", "sent_at", "mail"]
    list_filter = ["kind"]
    search_fields = ["award__company__name", "award__company__ubn"]
    list_select_related = ["award__company"]
