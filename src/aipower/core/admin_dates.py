"""Dates in the admin as the rest of the site shows them.

Django's admin formats dates and datetimes with the locale's formats, which cannot write the ROC
year. ``RocDateColumnsMixin`` (part of ``ReadOnlyMixin`` and ``AuditedModelAdmin``, so every admin
of ours has it) shows them through the ``roc_date``/``roc_datetime`` filters: ``115年03月02日
14:05`` in zh-Hant, ISO in English.

- Change lists: each date or datetime field of ``list_display`` becomes a column showing it in
  the site's format; the column keeps the field's heading, sorting and CSS class.
- Object pages: each read-only date or datetime field (``readonly_fields``, the read-only pages of
  ``core.admin.ReadOnlyAdmin``) is shown through the same column; so are those of the admin's
  inlines, which get the same treatment without declaring anything.
- The ``date_hierarchy`` bar (core's ``admin/change_list.html``, for every change list): its
  years, months and days are written ``115年``, ``115年3月``, ``115年3月2日`` in zh-Hant
  (Django's own titles in English); its links are Django's.

Forms are untouched: date inputs keep Django's input formats.
"""

from urllib.parse import parse_qsl, urlsplit

from django.contrib.admin.templatetags.admin_list import date_hierarchy
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation

from .admin_inlines import with_mixin
from .roc import roc_year
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
    column.roc_date_field = name
    return column


class RocDateFieldsMixin:
    """ModelAdmin or InlineModelAdmin mixin: read-only date and datetime fields in the site's
    format on the object page."""

    def roc_column_for(self, name):
        """The site-format column of the date or datetime field ``name``, or None. One column
        object per name for the admin's lifetime: the change list finds its sortable and linked
        columns, and the object page its read-only fields, by identity."""
        columns = self.__dict__.setdefault("_roc_date_columns", {})
        if name not in columns:
            field = date_field(self.model, name)
            columns[name] = roc_column(name, field) if field is not None else None
        return columns[name]

    def get_readonly_fields(self, request, obj=None):
        return [
            self.roc_column_for(name) or name if isinstance(name, str) else name
            for name in super().get_readonly_fields(request, obj)
        ]

    def _roc_readonly_dates(self, request, obj):
        """The read-only date fields shown through their columns, by name."""
        return [
            entry.roc_date_field
            for entry in self.get_readonly_fields(request, obj)
            if getattr(entry, "roc_date_field", None)
            and self.roc_column_for(entry.roc_date_field) is entry
        ]

    def get_fieldsets(self, request, obj=None):
        # A read-only date field named in ``fields``/``fieldsets`` is shown through its column
        # (only where the read-only list holds that same column, so the two always agree).
        dates = set(self._roc_readonly_dates(request, obj))

        def swap(names):
            return [
                swap(name)
                if isinstance(name, list | tuple)
                else self.roc_column_for(name)
                if isinstance(name, str) and name in dates
                else name
                for name in names
            ]

        return [
            (title, {**options, "fields": swap(options.get("fields", ()))})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_exclude(self, request, obj=None):
        # The form leaves out read-only fields by the read-only list, which now holds columns:
        # leave their fields out by name too (else a form built from all fields would show them).
        exclude = super().get_exclude(request, obj)
        dates = self._roc_readonly_dates(request, obj)
        if not dates:
            return exclude
        if exclude is None:
            # What Django uses when the admin declares no exclude.
            exclude = getattr(getattr(self.form, "_meta", None), "exclude", None) or ()
        return [*exclude, *dates]


def _roc_hierarchy_title(year, month=None, day=None):
    title = f"{roc_year(int(year))}年"
    if month:
        title += f"{int(month)}月"
        if day:
            title += f"{int(day)}日"
    return title


def date_hierarchy_in_site_format(cl):
    """Django's ``date_hierarchy`` inclusion-tag context for the change list ``cl``, its years,
    months and days titled in the site's format. Each link keeps Django's query string; the
    title is read from it (the day shown without a link, from the list's own query)."""
    hierarchy = date_hierarchy(cl)
    if not hierarchy or translation.get_language() == "en":
        return hierarchy
    lookups = [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]

    def retitled(item):
        if item is None:
            return None
        link = item.get("link")
        params = dict(parse_qsl(urlsplit(link).query)) if link is not None else cl.params
        year, month, day = (params.get(lookup) for lookup in lookups)
        if not year:
            return item  # "All dates"
        return {**item, "title": _roc_hierarchy_title(year, month, day)}

    return {
        **hierarchy,
        "back": retitled(hierarchy["back"]),
        "choices": [retitled(choice) for choice in hierarchy["choices"]],
    }


class RocDateColumnsMixin(RocDateFieldsMixin):
    """ModelAdmin mixin: dates in the site's format in the change list's columns and on the
    object page (its read-only fields and those of its inlines)."""

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

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [with_mixin(RocDateFieldsMixin, inline) for inline in inlines]
