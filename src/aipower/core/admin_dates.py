"""Dates in the admin's change lists as the rest of the site shows them.

Django's change list formats date and datetime columns with the locale's formats, which cannot
write the ROC year. ``RocDateColumnsMixin`` (part of ``ReadOnlyMixin`` and ``AuditedModelAdmin``,
so every admin of ours has it) swaps each date or datetime field of ``list_display`` for a column
that shows it through the ``roc_date``/``roc_datetime`` filters: ``115年03月02日 14:05`` in
zh-Hant, ISO in English. The column keeps the field's heading, sorting and CSS class. The
read-only object pages (``core.admin.ReadOnlyAdmin``) show their date fields through the same
columns. Forms are untouched: date inputs keep Django's input formats.
"""

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from .templatetags.roc import roc_date, roc_datetime


def date_field(model, name):
    """The DateField or DateTimeField ``name`` (a field or a ``__`` path) of ``model``, or None."""
    if not isinstance(name, str):
        return None
    try:
        field = get_fields_from_path(model, name)[-1]
    except (FieldDoesNotExist, NotRelationField):
        return None
    # DateTimeField is a DateField; both are shown, each in its own form.
    return field if isinstance(field, models.DateField) else None


def roc_column(name, field):
    """A change-list column showing ``name`` (a field or a ``__`` path) in the site's format."""
    show = roc_datetime if isinstance(field, models.DateTimeField) else roc_date

    def column(obj):
        value = obj
        for part in name.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None  # the admin's empty_value_display
        return show(value)

    column.__name__ = name.replace("__", "_")  # the column's CSS class, field-<name>
    column.short_description = field.verbose_name
    column.admin_order_field = name
    return column


class RocDateColumnsMixin:
    """ModelAdmin mixin: the date and datetime columns of ``list_display`` in the site's format."""

    def roc_column_for(self, name):
        """The site-format column of the date or datetime field ``name``, or None. One column
        object per name for the admin's lifetime: the change list finds its sortable and linked
        columns by identity."""
        columns = self.__dict__.setdefault("_roc_date_columns", {})
        if name not in columns:
            field = date_field(self.model, name)
            columns[name] = roc_column(name, field) if field is not None else None
        return columns[name]

    def _with_roc_columns(self, names):
        editable = set(getattr(self, "list_editable", ()) or ())
        return [
            self.roc_column_for(name) or name
            if isinstance(name, str) and name not in editable
            else name
            for name in names
        ]

    def get_list_display(self, request):
        return self._with_roc_columns(super().get_list_display(request))

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        return self._with_roc_columns(links) if links else links

    def get_sortable_by(self, request):
        # The default (the list display) already holds the columns; an explicit list names them.
        return self._with_roc_columns(super().get_sortable_by(request))
