"""Forms drawn in Python with the HTML of Django's form templates (``django/forms/``): the
meeting page shows a decision form for each application (an override and a send-back form too
for the organiser), and drawing 125 of them through the templates — an include for each
option, each attribute list, each label and each (empty) error list — was most of the page's
time.

Same markup, same escaping (``tests/review/test_meeting_widgets.py`` compares them with
Django's rendering); only the widgets the meeting's forms use. ``DrawnForm`` is the base of
those forms: its labels and empty error lists are written without a template too, and
``DrawnForm.drawn_fields()`` writes its fields as ``core/_field.html`` does (375 includes of it
were a quarter of the operator's meeting page).
"""

from django import forms
from django.forms.utils import ErrorList
from django.utils.html import conditional_escape as escape
from django.utils.safestring import mark_safe


def _attrs(attrs):
    # attrs.html: True is written bare, False left out, anything else as a string.
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget):
    value = "" if widget["value"] is None else f' value="{escape(str(widget["value"]))}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


class _InPython:
    def _render(self, template_name, context, renderer=None):
        return mark_safe(self.html(context["widget"]))  # noqa: S308 - every value escaped


class TextInput(_InPython, forms.TextInput):
    def html(self, widget):
        return _input(widget)


class Textarea(_InPython, forms.Textarea):
    def html(self, widget):
        value = escape(widget["value"]) if widget["value"] else ""
        return (
            f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f"{value}</textarea>"
        )


class Select(_InPython, forms.Select):
    def html(self, widget):
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f'\n  <optgroup label="{escape(group)}">')
            for option in options:
                parts.append(
                    f'\n  <option value="{escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>{escape(option['label'])}</option>\n"
                )
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return "".join(parts)


class RadioSelect(_InPython, forms.RadioSelect):
    def html(self, widget):
        id_, css = widget["attrs"].get("id"), widget["attrs"].get("class")
        parts = [
            "<div",
            f' id="{escape(id_)}"' if id_ else "",
            f' class="{escape(css)}"' if css else "",
        ]
        parts.append(">")
        for group, options, _index in widget["optgroups"]:
            if group:
                parts.append(f"\n  <div><label>{escape(group)}</label>")
            for option in options:
                parts.append(f"<div>\n    {self._option(option)}\n\n</div>")
            if group:
                parts.append("\n  </div>")
        parts.append("\n</div>")
        return "".join(parts)

    @staticmethod
    def _option(option):
        # Each included template ends in a line break, kept as Django writes them.
        if not option["wrap_label"]:
            return f"{_input(option)}\n\n"
        for_id = option["attrs"].get("id")
        label_for = f' for="{escape(for_id)}"' if for_id else ""
        return f"<label{label_for}>{_input(option)}\n {escape(option['label'])}</label>"


class _ErrorList(ErrorList):
    def __str__(self):
        # The template writes nothing for no error: a field without one skips it.
        return super().__str__() if self else ""


def field_row(field):
    """``{% include "core/_field.html" %}`` of the bound ``field`` (``mark_required`` unset, as
    on the meeting page): the row's label (a legend for radio buttons), widget, help text and
    errors, character for character."""
    errors = field.errors
    # An empty error list writes nothing; ``ErrorList.__html__`` would render its template.
    errors_html = str(errors) if errors else ""
    help_text = field.help_text
    auto_id = escape(field.auto_id)
    css = " has-error" if errors else ""
    if field.widget_type in ("checkboxselectmultiple", "radioselect"):
        described = ""
        if help_text or errors:
            ids = " ".join(
                [f"{auto_id}_helptext"] * bool(help_text) + [f"{auto_id}_error"] * bool(errors)
            )
            described = f' aria-describedby="{ids}"'
        inner = f"<fieldset{described}><legend>{escape(field.label)}</legend>{field}</fieldset>"
    else:
        inner = f"{field.label_tag()}\n    {field}"
    help_html = (
        f'<p class="help" id="{auto_id}_helptext">{escape(help_text)}</p>' if help_text else ""
    )
    return (
        f'\n<div class="form-row{css}">\n  \n    {inner}\n  \n  {help_html}\n'
        f"  {errors_html}\n</div>\n\n"
    )


class DrawnForm(forms.Form):
    error_class = _ErrorList

    def drawn_fields(self):
        """Every field as ``{% for field in form %}{% include "core/_field.html" %}{% endfor %}``
        writes them."""
        return mark_safe("".join(field_row(field) for field in self))  # noqa: S308 - escaped

    def render(self, template_name=None, context=None, renderer=None):
        if template_name != self.template_name_label or context is None:
            return super().render(template_name, context, renderer)
        # django/forms/label.html
        label = escape(context["label"])
        if not context["use_tag"]:
            return mark_safe(label)  # noqa: S308 - escaped
        tag = escape(context["tag"])
        return mark_safe(f"<{tag}{_attrs(context['attrs'])}>{label}</{tag}>")  # noqa: S308
