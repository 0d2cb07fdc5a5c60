"""Checks for a value typed but not valid in a staff or company form outside the wizard: the
form says what is wrong naming the field (``core.form_messages``), in zh-Hant and English, not
Django's own 「輸入整數。」, 「輸入有效的日期。」, 「請確認這個值至多包含 200 個字」…, and keeps
what was typed."""

import copy

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.html import escape


def django_says(field, typed, language):
    """What Django itself says refusing ``typed`` in ``field`` (its own messages, not the
    form's), in ``language``."""
    plain = copy.deepcopy(field)
    plain.required = False
    plain.error_messages = {}
    for klass in reversed(type(field).__mro__):
        plain.error_messages.update(getattr(klass, "default_error_messages", {}))
    with translation.override(language):
        try:
            plain.clean(typed)
        except ValidationError as error:
            return error.messages[0]
    raise AssertionError(f"{typed!r} is valid in {field!r}")


def assert_refused(make_form, data, name, zh, en, files=None):
    """``make_form(data, files)`` refuses ``data[name]`` with ``zh`` (in zh-Hant) and ``en``
    (in English) as the field's only message, not Django's own, and keeps what was typed."""
    for language, expected in (("zh-hant", zh), ("en", en)):
        with translation.override(language):
            form = make_form(data, files)
            assert not form.is_valid()
            messages = [str(message) for message in form.errors.get(name, [])]
            assert messages == [expected], (language, messages)
            typed = (files or data)[name]
            if not files:
                assert form[name].value() == typed
                generic = django_says(form.fields[name], typed, language)
                assert generic not in messages, generic


def field_row(html, name):
    """The form row (``core/_field.html``) of the field named ``name`` on a page."""
    for chunk in html.split('<div class="form-row')[1:]:
        row = chunk.split("</form>")[0]
        if f'name="{name}"' in row:
            return row
    raise AssertionError(f"no row for {name}")


def assert_row_says(html, name, message, typed=None):
    """The page shows ``message`` in ``name``'s row, with what was typed in its box."""
    row = field_row(html, name)
    assert "has-error" in row
    assert escape(message) in row, row
    if typed is not None:
        assert f'value="{escape(typed)}"' in row or f">\n{escape(typed)}</textarea>" in row
