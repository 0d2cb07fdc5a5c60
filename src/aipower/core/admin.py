"""The audit log in the admin: read-only, with the chain's hashes shown and each action by its
readable name; and the read-only admin base every app uses for records that change only through
its services. Both bases show dates as the site does (``admin_dates``)."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from . import audit
from .admin_dates import RocDateColumnsMixin
from .audit_labels import action_label
from .models import AuditEntry


class ReadOnlyMixin(RocDateColumnsMixin):
    """Admin pages that show and never add, change or delete (inlines too)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedReadsMixin:
    """``audit_reads = True`` for records holding personal data (an application's contacts, a
    mail, a data subject's request, a user's name and address): each object page shown is
    written to the audit log ("admin.view"), as the staff pages showing the same record are."""

    audit_reads = False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if self.audit_reads and request.method == "GET" and response.status_code == 200:
            obj = self.get_object(request, unquote(object_id))
            audit.record("admin.view", request=request, obj=obj, repr=str(obj)[:200])
        return response


class ReadOnlyAdmin(AuditedReadsMixin, ReadOnlyMixin, admin.ModelAdmin):
    """Records that change only through their app's services (``audit_reads``: see above)."""

    def get_readonly_fields(self, request, obj=None):
        # Every field shown; a date or datetime as the site writes it (the change list's column).
        return [self.roc_column_for(field.name) or field.name for field in self.model._meta.fields]

    def get_fields(self, request, obj=None):
        # Everything is read-only: the page shows exactly the read-only list (else the form
        # would add each date field again under its name, in Django's format).
        return self.fields or self.get_readonly_fields(request, obj)


class ActionFilter(admin.SimpleListFilter):
    """The actions the log holds, by their readable names."""

    title = _("動作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request).order_by().values_list("action", flat=True).distinct()
        )
        return sorted(((code, action_label(code)) for code in codes), key=lambda c: str(c[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(action=self.value())
        return queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "action_name", "actor", "object_type", "object_id", "ip"]
    list_select_related = ["actor"]
    list_filter = [ActionFilter]
    search_fields = ["action", "object_type", "object_id", "actor__username", "hash"]

    def get_readonly_fields(self, request, obj=None):
        names = super().get_readonly_fields(request, obj)
        at = names.index("action")
        return [*names[:at], "action_name", *names[at:]]

    @admin.display(description=_("動作"), ordering="action")
    def action_name(self, entry):
        return action_label(entry.action)
