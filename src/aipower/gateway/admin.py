"""Operator admin: upstream servers, model routes, keys (revocable, secret never shown) and the
metering records (read-only)."""

from django.contrib import admin
from django.db import models

from aipower.core.admin import ReadOnlyAdmin
from aipower.core.admin_audit import AuditedModelAdmin

from .models import ApiKey, MeteredRequest, ModelRoute, Upstream


class ModelRouteInline(admin.TabularInline):
    model = ModelRoute
    extra = 0
    autocomplete_fields = ["model"]


@admin.register(Upstream)
class UpstreamAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "base_url", "timeout", "continuous_usage"]
    inlines = [ModelRouteInline]
    # An address typed without a scheme is taken as https (an internal plain-http server is
    # named with http://, as the field's help text shows).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        # The audit records which fields changed and their values: never the upstream's key.
        if "api_key" in form.changed_data:
            form.changed_data.remove("api_key")
        super().save_model(request, obj, form, change)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        from django import forms

        form.base_fields["api_key"].widget = forms.PasswordInput(render_value=True)
        return form


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "prefix", "company", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "company__name", "company__ubn"]
    fields = ["company", "award", "name", "prefix", "rate_limit", "expires_at", "revoked_at"]
    readonly_fields = ["company", "award", "name", "prefix"]

    def has_add_permission(self, request):
        return False


@admin.register(MeteredRequest)
class MeteredRequestAdmin(ReadOnlyAdmin):
    list_display = [
        "request_id",
        "award",
        "model",
        "endpoint",
        "prompt_tokens",
        "completion_tokens",
        "outcome",
        "started_at",
    ]
    list_filter = ["outcome", "endpoint"]
    date_hierarchy = "started_at"
