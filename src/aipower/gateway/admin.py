"""Operator admin: upstream servers, model routes, keys (revocable, secret never shown) and the
metering records (read-only)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aipower.core.admin import ReadOnlyAdmin
from aipower.core.admin_audit import AuditedModelAdmin

from .models import ApiKey, MeteredRequest, ModelRoute, Upstream


class ModelRouteInline(admin.TabularInline):
    model = ModelRoute
    extra = 0
    autocomplete_fields = ["model"]


class UpstreamForm(forms.ModelForm):
    """The upstream's key is never sent back to the browser: the box is empty, and left empty it
    keeps the stored key (typing one replaces it; the audit records that it changed, not the
    value)."""

    # An address typed without a scheme is taken as https (an internal plain-http server is
    # named with http://, as the field's help text shows).
    base_url = Upstream._meta.get_field("base_url").formfield(assume_scheme="https")

    class Meta:
        model = Upstream
        fields = ["name", "base_url", "api_key", "timeout", "continuous_usage"]
        widgets = {"api_key": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "api_key" not in self.fields:  # a reader's page: every field read-only
            return
        self.initial["api_key"] = ""
        if self.instance.pk and self.instance.api_key:
            kept = _("已設定；留空則不變更。")
            self.fields["api_key"].help_text = f"{kept} {self.fields['api_key'].help_text}"

    def clean_api_key(self):
        typed = self.cleaned_data["api_key"]
        return typed or (self.instance.api_key if self.instance.pk else "")


@admin.register(Upstream)
class UpstreamAdmin(AuditedModelAdmin, admin.ModelAdmin):
    form = UpstreamForm
    list_display = ["name", "base_url", "timeout", "continuous_usage"]
    inlines = [ModelRouteInline]

    def get_exclude(self, request, obj=None):
        # A reader's page shows the fields as text: never the upstream's key.
        if not self.has_change_permission(request, obj):
            return [*(super().get_exclude(request, obj) or []), "api_key"]
        return super().get_exclude(request, obj)


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
