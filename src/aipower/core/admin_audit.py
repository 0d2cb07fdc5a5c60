"""Admin changes in our audit log: a mixin for every ModelAdmin.

``class CallAdmin(AuditedModelAdmin, admin.ModelAdmin)`` writes "admin.add", "admin.change" and
"admin.delete" entries with the acting user, the object, the changed fields and, for fields of
the model, their values before and after (secrets such as passwords and keys redacted), and for
a delete the number of rows of each model deleted with the object (``deleted_with``); each
row added, changed or deleted in an inline gets an entry of its own, its parent named. Django's
own admin LogEntry is still written; ours is the one that counts (append-only, kept for years).
"""

import re
from collections import Counter

from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import FieldDoesNotExist
from django.db import router, transaction

from . import audit
from .admin_dates import RocDateColumnsMixin
from .admin_labels import LabelledWidgetsMixin
from .admin_values import KeptValuesMixin
from .validators import normalize_ubn

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


def _stored_values(obj, names):
    """The values of the fields ``names`` as the database holds them (before a save)."""
    stored = type(obj)._default_manager.filter(pk=obj.pk).first()
    if stored is None:
        return {}
    return {f.name: _field_value(stored, f) for f in _model_fields(stored, names)}


def _deleted_with(obj):
    """{model label: count} of the rows deleting ``obj`` deletes with it (what the admin's
    confirmation listed: the cascade, and many-to-many links), ``obj`` itself left out."""
    collector = NestedObjects(using=router.db_for_write(type(obj), instance=obj))
    collector.collect([obj])
    counts = Counter()
    for model, rows in collector.model_objs.items():
        counts[model._meta.label] += len(rows)
    counts[obj._meta.label] -= 1
    return {label: count for label, count in sorted(counts.items()) if count > 0}


def _record_delete(request, obj, **data):
    """An "admin.delete" entry naming ``obj`` and the rows deleted with it (before they go)."""
    audit.record(
        "admin.delete",
        request=request,
        obj=obj,
        repr=str(obj)[:200],
        deleted_with=_deleted_with(obj),
        **data,
    )


def _record_change(action, request, obj, names, before, **data):
    """An entry naming the changed fields ``names`` with their values before and after."""
    after = {f.name: _field_value(obj, f) for f in _model_fields(obj, names)}
    audit.record(
        action,
        request=request,
        obj=obj,
        repr=str(obj)[:200],
        fields=names,
        before=before,
        after=after,
        **data,
    )


# A 統一編號 as people type it in a search box: full-width digits, a space or a hyphen in
# the middle (「8470-0087」, 「８４７０００８７」).
_TYPED_UBN = re.compile(r"[0-9０-９]{4}[\s\-－‐‑–—]?[0-9０-９]{4}")


class UbnSearchMixin:
    """The change list's search finds a company by its 統一編號 however it was typed (the
    search otherwise looks for the text as typed, and 「8470-0087」 matched nothing)."""

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if _TYPED_UBN.fullmatch(term):
            search_term = normalize_ubn(term)
        return super().get_search_results(request, queryset, search_term)


class AuditedModelAdmin(UbnSearchMixin, KeptValuesMixin, LabelledWidgetsMixin, RocDateColumnsMixin):
    """ModelAdmin mixin writing every add, change and delete to ``aipower.core.audit`` (its
    change list shows dates as the site does, see ``admin_dates``; inputs Django leaves without
    a label are named, see ``admin_labels``; an unchanged save keeps every value, see
    ``admin_values``; a 統一編號 searched for is read as typed, ``UbnSearchMixin``)."""

    def save_model(self, request, obj, form, change):
        names = list(form.changed_data)
        before = _stored_values(obj, names) if change else {}
        super().save_model(request, obj, form, change)
        # Written in log_addition/log_change, after the many-to-many fields are saved too.
        request.__dict__.setdefault(_PENDING, {})[_key(obj)] = (names, before)

    def save_formset(self, request, form, formset, change):
        """The inline rows' changes as entries of their own, with the values before and after
        (a tier's points, a criterion's weight, a batch's cut-off decide awards). The admin
        saves in one transaction, so the entries stand or fall with the change."""
        parent = str(form.instance)[:200]
        before = {}
        for row in formset.initial_forms:
            if row in formset.deleted_forms:
                _record_delete(request, row.instance, parent=parent)
            elif row.has_changed():
                before[_key(row.instance)] = _stored_values(row.instance, row.changed_data)
        super().save_formset(request, form, formset, change)
        names_of = {id(row.instance): list(row.changed_data) for row in formset.extra_forms}
        for obj in formset.new_objects:
            names = names_of.get(id(obj), [])
            _record_change("admin.add", request, obj, names, {}, parent=parent)
        for obj, names in formset.changed_objects:
            _record_change(
                "admin.change", request, obj, names, before.get(_key(obj), {}), parent=parent
            )

    def _record(self, action, request, obj, message):
        names, before = request.__dict__.get(_PENDING, {}).pop(_key(obj), ([], {}))
        message = message if isinstance(message, list) else str(message)
        _record_change(action, request, obj, names, before, message=message)

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
            _record_delete(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                _record_delete(request, obj)
            super().delete_queryset(request, queryset)
