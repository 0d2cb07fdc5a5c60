"""Admin changes in our audit log: a mixin for every ModelAdmin.

``class CallAdmin(AuditedModelAdmin, admin.ModelAdmin)`` writes "admin.add", "admin.change" and
"admin.delete" entries with the acting user, the object, the changed fields and, for fields of
the model, their values before and after (secrets such as passwords and keys redacted). Django's
own admin LogEntry is still written; ours is the one that counts (append-only, kept for years).
"""

import re

from django.core.exceptions import FieldDoesNotExist
from django.db import transaction

from . import audit
from .admin_dates import RocDateColumnsMixin
from .admin_labels import LabelledWidgetsMixin

REDACTED = "[redacted]"
SENSITIVE_FIELD = re.compile(r"password|secret|token|(^|_)(key|pin)$", re.IGNORECASE)
_PENDING = "_aipower_admin_audit"


def _field_value(obj, field):
    if SENSITIVE_FIELD.search(field.name):
        return REDACTED
    if field.many_to_many:
        if obj.pk is None:
            return []
        return sorted(str(pk) for pk in getattr(obj, field.name).values_list("pk", flat=True))
    return field.value_to_string(obj)


def _model_fields(obj, names):
    fields = []
    for name in names:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete or field.many_to_many:
            fields.append(field)
    return fields


def _key(obj):
    return (obj._meta.label, str(obj.pk))


class AuditedModelAdmin(LabelledWidgetsMixin, RocDateColumnsMixin):
    """ModelAdmin mixin writing every add, change and delete to ``aipower.core.audit`` (its
    change list shows dates as the site does, see ``admin_dates``; inputs Django leaves without
    a label are named, see ``admin_labels``)."""

    def save_model(self, request, obj, form, change):
        names = list(form.changed_data)
        before = {}
        if change:
            stored = type(obj)._default_manager.filter(pk=obj.pk).first()
            if stored is not None:
                before = {f.name: _field_value(stored, f) for f in _model_fields(stored, names)}
        super().save_model(request, obj, form, change)
        # Written in log_addition/log_change, after the many-to-many fields are saved too.
        request.__dict__.setdefault(_PENDING, {})[_key(obj)] = (names, before)

    def _record(self, action, request, obj, message):
        names, before = request.__dict__.get(_PENDING, {}).pop(_key(obj), ([], {}))
        after = {f.name: _field_value(obj, f) for f in _model_fields(obj, names)}
        audit.record(
            action,
            request=request,
            obj=obj,
            repr=str(obj)[:200],
            fields=names,
            before=before,
            after=after,
            message=message if isinstance(message, list) else str(message),
        )

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._record("admin.add", request, obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._record("admin.change", request, obj, message)
        return entry

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record("admin.delete", request=request, obj=obj, repr=str(obj)[:200])
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record("admin.delete", request=request, obj=obj, repr=str(obj)[:200])
            super().delete_queryset(request, queryset)
