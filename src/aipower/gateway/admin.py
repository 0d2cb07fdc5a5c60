"""Operator admin: upstream servers, model routes, keys (revocable, secret never shown), the
metering records and the requests refused for their region (read-only); and the model
catalogue's page (calls' admin, registered again here): disabling or prohibiting a model that
applications in progress or awards in use chose names them and asks for a confirmation first."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from aipower.calls.admin import CatalogueModelAdmin as CallsCatalogueModelAdmin
from aipower.calls.models import CatalogueModel
from aipower.core import audit
from aipower.core.admin import ReadOnlyAdmin
from aipower.core.admin_audit import AuditedModelAdmin

from . import catalogue
from .core import ENDPOINTS
from .models import ApiKey, MeteredRequest, ModelRoute, RegionRefusal, Upstream, key_variable


class ModelRouteInline(admin.TabularInline):
    model = ModelRoute
    extra = 0
    autocomplete_fields = ["model"]


class UpstreamForm(forms.ModelForm):
    """The upstream's key is never sent back to the browser: the box is empty, and left empty it
    keeps the stored key (typing one replaces it; 改用環境變數 clears it, so the environment
    variable named after the upstream serves). The audit records that the key changed, never
    its value."""

    # An address typed without a scheme is taken as https (an internal plain-http server is
    # named with http://, as the field's help text shows).
    base_url = Upstream._meta.get_field("base_url").formfield(assume_scheme="https")
    use_environment = forms.BooleanField(label=_("改用環境變數"), required=False)

    class Meta:
        model = Upstream
        fields = ["name", "base_url", "api_key", "timeout", "continuous_usage"]
        widgets = {"api_key": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "api_key" not in self.fields:  # a reader's page: every field read-only
            return
        self.initial["api_key"] = ""
        stored = bool(self.instance.pk and self.instance.api_key)
        variable = key_variable(self.instance.name) if self.instance.pk else None
        if stored:
            help_text = _("已設定；留空則不變更。")
        elif variable:
            help_text = _("留空則使用環境變數 %(variable)s。") % {"variable": variable}
        else:
            help_text = _(
                "留空則使用環境變數 GATEWAY_UPSTREAM_KEY_ 加上名稱（大寫，英數字以外改為底線）。"
            )
        self.fields["api_key"].help_text = help_text
        if stored:
            self.fields["use_environment"].help_text = _(
                "清除已設定之金鑰，改用環境變數 %(variable)s。"
            ) % {"variable": variable}

    def clean(self):
        cleaned = super().clean()
        typed = cleaned.get("api_key")
        if cleaned.get("use_environment"):
            if typed:
                self.add_error("api_key", _("已勾選「改用環境變數」，請勿同時輸入金鑰。"))
            cleaned["api_key"] = ""
        elif not typed and self.instance.pk:
            cleaned["api_key"] = self.instance.api_key
        return cleaned

    @property
    def changed_data(self):
        # Clearing the key is a change of the key (the audit names the field, redacted).
        names = [name for name in super().changed_data if name != "use_environment"]
        cleared = getattr(self, "cleaned_data", {}).get("use_environment")
        if cleared and "api_key" not in names:
            names.append("api_key")
        return names


@admin.register(Upstream)
class UpstreamAdmin(AuditedModelAdmin, admin.ModelAdmin):
    form = UpstreamForm
    list_display = ["name", "base_url", "timeout", "continuous_usage"]
    inlines = [ModelRouteInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is None or not obj.api_key:  # nothing stored to clear
            fields = [name for name in fields if name != "use_environment"]
        return fields

    def get_exclude(self, request, obj=None):
        # A reader's page shows the fields as text: never the upstream's key.
        if not self.has_change_permission(request, obj):
            return [*(super().get_exclude(request, obj) or []), "api_key"]
        return super().get_exclude(request, obj)


@admin.register(ApiKey)
class ApiKeyAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "prefix", "company", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["company"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix", "company__name", "company__ubn"]
    fields = ["company", "award", "name", "prefix", "rate_limit", "expires_at", "revoked_at"]
    readonly_fields = ["company", "award", "name", "prefix"]

    def get_readonly_fields(self, request, obj=None):
        # A revoked key stays revoked: its secret may have leaked (the company revoked it for
        # that), and the company's list says so. Anyone who needs the API makes a new key.
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.revoked_at is not None:
            fields.append("revoked_at")
        return fields

    def has_add_permission(self, request):
        return False


class EndpointFilter(admin.SimpleListFilter):
    """The endpoints as the gateway names them: Django's own filter of a text field would read
    every request for their distinct values."""

    title = _("端點")
    parameter_name = "endpoint"

    def lookups(self, request, model_admin):
        return [(name, "/v1" + path) for name, path in ENDPOINTS.items()]

    def queryset(self, request, queryset):
        return queryset.filter(endpoint=self.value()) if self.value() else queryset


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
    list_select_related = ["award__company", "award__tier", "model"]
    list_filter = ["outcome", EndpointFilter, "started_at"]
    # Every request of every company is here, millions a year: newest first by the primary key
    # (given in the order they are admitted), as ``started_at`` alone has no index — one would
    # slow the gateway's insert for this list's sake —, and no date hierarchy, whose first and
    # last dates read the whole table.
    ordering = ["-id"]


@admin.register(RegionRefusal)
class RegionRefusalAdmin(ReadOnlyAdmin):
    """Every count the gateway kept (the compliance page lists the last 90 days)."""

    list_display = ["day", "award", "api_key", "country", "count", "last_at", "last_address"]
    list_filter = ["country"]
    search_fields = ["award__company__name", "award__company__ubn", "api_key__prefix"]
    date_hierarchy = "day"
    list_select_related = ["award__company", "award__category", "api_key"]


class CatalogueModelForm(forms.ModelForm):
    """Disabling or prohibiting a model that applications in progress or awards in use chose
    names them (number, company) and is saved only with 確認停用 ticked: the wizard stops
    offering the model and the gateway stops routing it at once. The change list's 啟用 box
    cannot confirm, so there it is refused with the same names, pointing to the model's page."""

    confirm_withdrawal = forms.BooleanField(
        label=_("確認停用"),
        required=False,
        help_text=_("停用或禁止已有申請案或核定選用之模型時，須勾選以確認。"),
    )

    class Meta:
        model = CatalogueModel
        fields = [
            "call", "display_name", "order", "parameter_size", "vendor", "country",
            "offered_no_code", "offered_validation", "offered_inference", "upstream_id",
            "enabled", "prohibited",
        ]  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        self.users = catalogue.Users()
        stored = self.instance
        if "display_name" in self.changed_data and stored.pk is not None:
            self._refuse_a_rename_applications_chose()
        if stored.pk is None or not catalogue.offered(stored):
            return cleaned
        enabled = cleaned.get("enabled", stored.enabled)
        prohibited = cleaned.get("prohibited", stored.prohibited)
        if enabled and not prohibited:
            return cleaned
        self.users = catalogue.users_of(stored)
        if not self.users or cleaned.get("confirm_withdrawal"):
            return cleaned
        params = {
            "applications": len(self.users.applications),
            "awards": len(self.users.awards),
            "names": pgettext("inline list separator", "、").join(self.users.names()),
        }
        if "confirm_withdrawal" in self.fields:
            message = _(
                "此模型已有 %(applications)s 件申請中之申請案、%(awards)s 件核定使用："
                "%(names)s。停用或禁止後，申請案無法再保留此模型、核定之服務無法再使用此模型。"
                "確定要停用，請勾選「確認停用」後再儲存。"
            )
        else:
            message = _(
                "此模型已有 %(applications)s 件申請中之申請案、%(awards)s 件核定使用："
                "%(names)s。請至此模型之頁面確認後再停用。"
            )
        raise ValidationError(message, code="model_in_use", params=params)

    def _refuse_a_rename_applications_chose(self):
        chosen = catalogue.chosen_by_name(self.instance)
        if not chosen:
            return
        shown = [f"{app.number or _('草稿')} {app.company.name}" for app in chosen[:10]]
        if len(chosen) > 10:
            shown.append(_("等 %(count)s 件") % {"count": len(chosen)})
        self.add_error(
            "display_name",
            ValidationError(
                _(
                    "已有 %(count)s 件申請案選用此模型（%(names)s）。申請案以模型名稱記錄所選"
                    "模型，更名後將無法對應。如需更正名稱，請新增模型並停用此模型。"
                ),
                code="model_name_in_use",
                params={
                    "count": len(chosen),
                    "names": pgettext("inline list separator", "、").join(shown),
                },
            ),
        )

    @property
    def changed_data(self):
        # The confirmation is not a field of the model (the audit names the model's fields).
        return [name for name in super().changed_data if name != "confirm_withdrawal"]


class CatalogueModelListForm(CatalogueModelForm):
    """The change list's row (its 啟用 box): no confirmation there."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("confirm_withdrawal", None)


admin.site.unregister(CatalogueModel)


@admin.register(CatalogueModel)
class CatalogueModelAdmin(CallsCatalogueModelAdmin):
    form = CatalogueModelForm
    fields = [*CallsCatalogueModelAdmin.fields, "confirm_withdrawal"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=CatalogueModelListForm, **kwargs)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [f for f in fields if f != "confirm_withdrawal"]

    def save_model(self, request, obj, form, change):
        """A withdrawal (disabled or prohibited, from its page or the change list) is audited
        with how many applications and awards it touched (the admin's own entry holds the
        fields before and after)."""
        was_offered = (
            change
            and CatalogueModel.objects.filter(pk=obj.pk, enabled=True, prohibited=False).exists()
        )
        super().save_model(request, obj, form, change)
        if was_offered and not catalogue.offered(obj):
            users = getattr(form, "users", None) or catalogue.users_of(obj)
            audit.record(
                "gateway.model_withdrawn",
                request=request,
                obj=obj,
                repr=str(obj)[:200],
                enabled=obj.enabled,
                prohibited=obj.prohibited,
                **users.counts(),
            )
