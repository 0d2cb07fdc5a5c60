"""Read-only admin views of the productisation survey: rounds are opened and changed on the staff
page and companies answer on theirs (both audited), never in the admin."""

from django.contrib import admin

from aipower.core.admin import ReadOnlyAdmin

from .models import Notice, Response, ResponseVersion, Round


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "opens_on", "due_on", "opened_by", "opened_at"]
    list_filter = ["call"]
    search_fields = ["title", "title_en"]
    list_select_related = ["call", "opened_by"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    # The draft holds the answers, as the versions do (and those not yet sent).
    audit_reads = True
    list_display = ["round", "award", "draft_saved_at"]
    list_filter = ["round"]
    search_fields = ["award__company__name", "award__company__ubn"]
    list_select_related = ["round", "award__company"]


@admin.register(ResponseVersion)
class ResponseVersionAdmin(ReadOnlyAdmin):
    audit_reads = True
    list_display = ["response", "number", "submitted_by", "submitted_at", "fingerprint"]
    list_filter = ["response__round"]
    search_fields = ["response__award__company__name", "response__award__company__ubn"]
    date_hierarchy = "submitted_at"
    list_select_related = ["response__round", "response__award__company", "submitted_by"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["round", "award", "kind", "sent_at", "mail"]
    list_filter = ["kind", "round"]
    search_fields = ["award__company__name", "award__company__ubn"]
    list_select_related = ["round", "award__company"]
