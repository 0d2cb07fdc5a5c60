"""The review's configuration in the admin: notification templates, budgets and reviewers'
affiliations are editable; the review's records are read-only there (they change only through
the review pages' services). Every change is written to the audit log."""

from django.contrib import admin
from django.utils.translation import gettext as _

from aipower.core import notices
from aipower.core.admin import ReadOnlyMixin
from aipower.core.admin_audit import AuditedModelAdmin
from aipower.core.i18n import join_list

from .models import (
    Assignment,
    Award,
    BatchReview,
    Budget,
    Decision,
    NotificationTemplate,
    ReviewerProfile,
    StateChange,
    SupplementRequest,
)


class AuditedAdmin(AuditedModelAdmin, admin.ModelAdmin):
    pass


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(AuditedAdmin):
    list_display = ["key", "description", "subject_zh"]
    search_fields = ["key", "subject_zh", "body_zh"]
    fields = ["key", "description", "subject_zh", "body_zh", "subject_en", "body_en"]

    def get_readonly_fields(self, request, obj=None):
        # The code looks templates up by key: keep it once created.
        return ["key"] if obj is not None else []

    def get_form(self, request, obj=None, change=False, **kwargs):
        """Each text field says which variables this notice provides (``model.clean`` refuses
        any other, and broken template syntax, next to the field)."""
        form = super().get_form(request, obj, change=change, **kwargs)
        names = notices.variables_of(obj.key) if obj is not None else ()
        if names:
            help_text = _("可用變數：%(names)s") % {
                "names": join_list("{{ " + name + " }}" for name in names)
            }
        else:
            help_text = _("可用變數依通知而定，儲存後顯示。")
        for name in ("subject_zh", "body_zh", "subject_en", "body_en"):
            if name in form.base_fields:
                form.base_fields[name].help_text = help_text
        return form


@admin.register(Budget)
class BudgetAdmin(AuditedAdmin):
    list_display = ["category", "points", "minimum_reviewers"]
    list_select_related = ["category__call"]


@admin.register(ReviewerProfile)
class ReviewerProfileAdmin(AuditedAdmin):
    list_display = ["user"]
    list_select_related = ["user"]
    search_fields = ["user__username", "affiliations"]


class ReadOnlyAdmin(ReadOnlyMixin, AuditedAdmin):
    pass


@admin.register(StateChange)
class StateChangeAdmin(ReadOnlyAdmin):
    list_display = ["application", "from_state", "to_state", "by", "at"]
    list_select_related = ["application__company", "by"]
    list_filter = ["to_state"]


@admin.register(SupplementRequest)
class SupplementRequestAdmin(ReadOnlyAdmin):
    list_display = ["application", "deadline", "requested_at", "answered_at", "expired_at"]
    list_select_related = ["application__company"]


@admin.register(BatchReview)
class BatchReviewAdmin(ReadOnlyAdmin):
    list_display = ["batch", "frozen_at", "approved_at"]
    list_select_related = ["batch__category__call"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["application", "reviewer", "conflict", "submitted_at"]
    list_select_related = ["application__company", "reviewer"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "tier", "points_override", "decided_at"]
    list_select_related = ["application__company", "tier"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["application", "company", "category", "tier", "points", "starts_on", "ends_on"]
    list_select_related = ["application__company", "company", "category__call", "tier"]
