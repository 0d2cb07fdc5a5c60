"""Admin inputs that Django's admin leaves without a name, named.

Django's admin labels the inputs of its object pages, but not:

- the inputs of a tabular inline's rows (the column heading is a ``<th>``, not a label; the
  call's 級距, the category's 審查梯次 and 審查重點 weights are edited there);
- the inputs of a change list's editable columns (``list_editable``);
- the date box and the time box of a date-time field (the words before them are plain text and
  the field's label points at neither).

A screen reader announces such an input without a name (axe-core ``label``, critical).

The time box also shows its seconds: zh-Hant's first time format is ``%H:%M``, so a deadline of
23:59:59 was shown as 23:59 and saving the page, even unchanged, moved it 59 seconds earlier.
``LabelledWidgetsMixin`` (part of ``AuditedModelAdmin``, so every editable admin of ours has it)
gives each an ``aria-label``: the field's label, and for the two boxes of a date-time the label
with 日期 or 時間. The forms are built per request, so the names are in the request's language.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext

from .admin_inlines import with_mixin

# Each of their options has a label of its own.
OWN_LABELS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.HiddenInput)


def label_widget(field, *, whole=True):
    """Name ``field``'s inputs: its date-time boxes always, its single input when ``whole``."""
    widget = getattr(field.widget, "widget", field.widget)  # inside the related-object wrapper
    label = str(field.label or "")
    if isinstance(widget, forms.SplitDateTimeWidget):
        date, time = widget.widgets
        date.attrs.setdefault("aria-label", gettext("%(label)s（日期）") % {"label": label})
        time.attrs.setdefault("aria-label", gettext("%(label)s（時間）") % {"label": label})
    elif whole and label and not isinstance(widget, (*OWN_LABELS, forms.MultiWidget)):
        widget.attrs.setdefault("aria-label", label)


def labelled_formset(formset):
    """``formset`` (a class) whose forms' inputs are all named, the row's 刪除 box too."""

    class Labelled(formset):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            for field in form.fields.values():
                label_widget(field)

    Labelled.__name__ = Labelled.__qualname__ = formset.__name__
    return Labelled


TIME_WITH_SECONDS = "%H:%M:%S"


class _LabelledDateTimes:
    """Admin (or inline) mixin: the date and time boxes of every date-time field named, the
    time with its seconds."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            label_widget(field, whole=False)
            widget = getattr(field.widget, "widget", field.widget)
            if isinstance(widget, forms.SplitDateTimeWidget):
                widget.widgets[1].format = TIME_WITH_SECONDS
        return field


class LabelledInlineMixin(_LabelledDateTimes):
    """InlineModelAdmin mixin: a tabular inline's inputs named; date-time boxes everywhere."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return labelled_formset(formset) if isinstance(self, admin.TabularInline) else formset


class LabelledWidgetsMixin(_LabelledDateTimes):
    """ModelAdmin mixin: date-time boxes, editable change-list columns and the inputs of
    tabular inlines named."""

    def get_changelist_formset(self, request, **kwargs):
        return labelled_formset(super().get_changelist_formset(request, **kwargs))

    def get_inlines(self, request, obj):
        inlines = super().get_inlines(request, obj)
        return [with_mixin(LabelledInlineMixin, inline) for inline in inlines]
