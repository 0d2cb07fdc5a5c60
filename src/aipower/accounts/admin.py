"""Admin for companies, users and login challenges (staff admin site: operators, organisers).

Companies and users are created by card login; the admin is for looking and for correcting a
company's name. Challenges are read-only (kept briefly for investigating failed logins).

The admins other packages register — groups, TOTP devices (adding one is a second factor),
queued tasks — are registered again with the audit (``AuditedModelAdmin``): no role's
permissions reach them, but a superuser's changes there are written to our log too. A TOTP
device's secret shown there (its page's key, its configuration page, its QR code) is logged as
"staff.device_secret_viewed": whoever sees it can make the member's codes.
"""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from aipower.core import audit
from aipower.core.admin import AuditedReadsMixin
from aipower.core.admin_audit import AuditedModelAdmin

from .models import Company, LoginChallenge, User
from .roles import apply_role


@admin.register(Company)
class CompanyAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["ubn", "name", "first_login_at", "last_login_at"]
    search_fields = ["ubn", "name"]
    readonly_fields = ["ubn", "first_login_at", "last_login_at"]

    def has_add_permission(self, request):
        return False


@admin.register(User)
class UserAdmin(AuditedReadsMixin, AuditedModelAdmin, DjangoUserAdmin):
    # A person's name, e-mail address and role: each page shown is in the audit log.
    audit_reads = True
    list_display = ["username", "role", "company", "first_name", "is_active", "last_login"]
    list_select_related = ["company"]
    list_filter = ["role", "is_active", "is_staff"]
    search_fields = [
        "username",
        "first_name",
        "last_name",
        "email",
        "company__ubn",
        "company__name",
    ]
    raw_id_fields = ["company"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("角色"), {"fields": ("role", "company")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("角色"), {"fields": ("role",)}),
    )

    def save_related(self, request, form, formsets, change):
        """After the form's groups are saved: the role's group and admin flag, as on the
        staff accounts page, so a role changed here needs no ``sync_roles`` to take effect."""
        super().save_related(request, form, formsets, change)
        if not form.instance.is_superuser:
            apply_role(form.instance)


@admin.register(LoginChallenge)
class LoginChallengeAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["short_nonce", "created_at", "expires_at", "used_at"]
    list_filter = ["used_at"]
    date_hierarchy = "created_at"
    fields = ["created_at", "expires_at", "used_at"]
    readonly_fields = fields

    @admin.display(description=_("挑戰碼"))
    def short_nonce(self, obj):
        return f"{obj.nonce[:8]}…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DeviceSecretShownMixin:
    """The TOTP device's pages that show its secret write who saw it (never the secret)."""

    def _shown(self, request, response, pk, page):
        if request.method == "GET" and response.status_code == 200:
            device = self.get_object(request, unquote(str(pk)))
            audit.record(
                "staff.device_secret_viewed",
                request=request,
                obj=device,
                page=page,
                user=device.user.get_username(),
            )
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        return self._shown(request, response, object_id, "change")

    def config_view(self, request, pk):
        return self._shown(request, super().config_view(request, pk), pk, "config")

    def qrcode_view(self, request, pk):
        return self._shown(request, super().qrcode_view(request, pk), pk, "qrcode")


def _audited(model, *mixins):
    """``model``'s admin, registered by another package, again with our audit."""
    registered = type(admin.site._registry[model])
    admin.site.unregister(model)
    audited = type(
        registered.__name__, (*mixins, AuditedModelAdmin, registered), {"__module__": __name__}
    )
    admin.site.register(model, audited)


_audited(apps.get_model("auth.Group"))
_audited(apps.get_model("otp_totp.TOTPDevice"), DeviceSecretShownMixin)
_audited(apps.get_model("django_tasks_database.DBTaskResult"))
