"""Values an unchanged save keeps.

Opening an admin object page and pressing 保存 without typing anything must store exactly what
was stored, and log no change (``tests/core/test_admin_round_trip.py`` does it for every model,
as a browser submits the page). Django's text boxes did not:

- A text box (a ``TextField``'s ``<textarea>``): a browser sends the line breaks of a textarea
  as CRLF (HTML's form submission) and Django stores what it is sent, so a text stored with
  ``\\n`` (every seeded programme text) was stored again with ``\\r\\n``; and Django strips a
  text's leading and trailing blanks, so a notice template's closing line break was lost. Both
  were also logged as a change of the text, though nobody typed. ``LineFeedTextField`` stores
  a line break as ``\\n`` whatever the browser sends, and keeps the blanks around the text (a
  text of blanks only is still empty).

``KeptValuesMixin`` is part of ``AuditedModelAdmin`` (every editable admin of ours); the admin's
inlines get the same fields.
"""

from django import forms
from django.db import models

from .admin_inlines import with_mixin


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


def _text_form_class_overridden(admin, db_field):
    overrides = getattr(admin, "formfield_overrides", None) or {}
    return any("form_class" in overrides.get(klass, {}) for klass in type(db_field).__mro__)


class _KeptValues:
    """Admin (or inline) mixin: text boxes whose unchanged value is saved unchanged."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if (
            isinstance(db_field, models.TextField)
            and not db_field.choices
            and "form_class" not in kwargs
            and not _text_form_class_overridden(self, db_field)
        ):
            kwargs["form_class"] = LineFeedTextField
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class KeptValuesInlineMixin(_KeptValues):
    """InlineModelAdmin mixin: the rows' values kept by an unchanged save."""


class KeptValuesMixin(_KeptValues):
    """ModelAdmin mixin: the object's values, and its inline rows', kept by an unchanged
    save."""

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [with_mixin(KeptValuesInlineMixin, inline) for inline in inlines]
