"""Values an unchanged save keeps.

Opening an admin object page and pressing 保存 without typing anything must store exactly what
was stored, and log no change (``tests/core/test_admin_round_trip.py`` does it for every model,
as a browser submits the page). Django's form fields did not:

- A text box (a ``TextField``'s ``<textarea>``): a browser sends the line breaks of a textarea
  as CRLF (HTML's form submission) and Django stores what it is sent, so a text stored with
  ``\\n`` (every seeded programme text) was stored again with ``\\r\\n``; and Django strips a
  text's leading and trailing blanks, so a notice template's closing line break was lost. Both
  were also logged as a change of the text, though nobody typed. ``LineFeedTextField`` stores
  a line break as ``\\n`` whatever the browser sends, and keeps the blanks around the text (a
  text of blanks only is still empty).
- The time box of a date-time (``admin_labels`` writes it with its seconds): a value with
  fractions of a second, as the clock sets them (a user's 加入日期), lost them. The box writes
  them when the value has any (``07:57:50.865298``; both languages read that format back); a
  time set by hand has none and is shown ``23:59:59`` as before. The hidden copy of the initial
  value Django adds for a field whose default is the clock is written the same way (else the
  unchanged 加入日期 was logged as changed).

``KeptValuesMixin`` is part of ``AuditedModelAdmin`` (every editable admin of ours); the admin's
inlines get the same fields.
"""

import datetime
import functools

from django import forms
from django.db import models

from .admin_inlines import with_mixin
from .admin_labels import TIME_WITH_SECONDS

TIME_WITH_MICROSECONDS = "%H:%M:%S.%f"


class LineFeedTextField(forms.CharField):
    """A multi-line text whose line breaks are stored as ``\\n``, however the browser sent
    them (CRLF, or a lone CR), and whose leading and trailing blanks are kept (a template's
    closing line break is part of it); a text of blanks only is empty, as before."""

    def __init__(self, *, strip=False, **kwargs):
        super().__init__(strip=strip, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str):
            if not value.strip():
                return self.empty_value
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value


class _MicrosecondsKept:
    """Time input mixin: a time with fractions of a second written with them."""

    def format_value(self, value):
        if isinstance(value, datetime.time) and value.microsecond:
            return value.strftime(TIME_WITH_MICROSECONDS)
        return super().format_value(value)


@functools.cache
def _keeping_microseconds(widget_class):
    if issubclass(widget_class, _MicrosecondsKept):
        return widget_class
    return type(widget_class.__name__, (_MicrosecondsKept, widget_class), {})


class HiddenDateTimeKept(forms.SplitHiddenDateTimeWidget):
    """The hidden copy of a date-time's initial value (Django writes one for a field whose
    default is the clock, such as a user's 加入日期, to tell whether it changed), to the second
    and its fractions like the boxes: else the unchanged value reads as changed."""

    supports_microseconds = True

    def __init__(self, attrs=None, date_format=None, time_format=None, **kwargs):
        super().__init__(attrs, date_format, time_format or TIME_WITH_SECONDS, **kwargs)
        time = self.widgets[1]
        time.__class__ = _keeping_microseconds(type(time))


def _text_form_class_overridden(admin, db_field):
    overrides = getattr(admin, "formfield_overrides", None) or {}
    return any("form_class" in overrides.get(klass, {}) for klass in type(db_field).__mro__)


class _KeptValues:
    """Admin (or inline) mixin: text boxes and date-time boxes whose unchanged value is saved
    unchanged."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if (
            isinstance(db_field, models.TextField)
            and not db_field.choices
            and "form_class" not in kwargs
            and not _text_form_class_overridden(self, db_field)
        ):
            kwargs["form_class"] = LineFeedTextField
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            widget = getattr(field.widget, "widget", field.widget)  # the related-object wrapper
            if isinstance(widget, forms.SplitDateTimeWidget):
                # Else the form drops them from the stored value before the box is written.
                widget.supports_microseconds = True
                time = widget.widgets[1]
                time.__class__ = _keeping_microseconds(type(time))
                if isinstance(field, forms.SplitDateTimeField):
                    field.hidden_widget = HiddenDateTimeKept
        return field


class KeptValuesInlineMixin(_KeptValues):
    """InlineModelAdmin mixin: the rows' values kept by an unchanged save."""


class KeptValuesMixin(_KeptValues):
    """ModelAdmin mixin: the object's values, and its inline rows', kept by an unchanged
    save."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [with_mixin(KeptValuesInlineMixin, inline) for inline in inlines]
