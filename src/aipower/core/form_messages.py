"""Messages for a value typed but not valid, naming the field and what a valid value looks like.

Django's own messages say 「輸入整數」, 「輸入有效的日期」 or 「請確認這個值至多包含 200 個字」
under any field; these name the field and say what a valid value looks like. %(field)s and the
limits the field knows are filled in when the message is shown, in the page's language; what
Django knows only when it refuses the value (the length typed, the option sent) it fills in itself.

The application wizard sets them on every field (``applications.forms.StepForm``); the other
forms inherit ``NamedInvalidMessages``, which sets them where the field still has Django's own
message, so a message a form gives on purpose (a score's 「請輸入 0 至 100 之整數分數」) stays.
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

INVALID_MESSAGES = {
    "integer": _("%(field)s請填寫整數（例如 12）"),
    "amount": _("%(field)s請以數字填寫新臺幣金額（元）（例如 25,000,000）"),
    "min_value": _("%(field)s請填寫 %(limit_value)s 以上的整數"),
    "max_value": _("%(field)s請填寫不超過 %(limit_value)s 的整數"),
    "date": _("%(field)s請填寫有效的日期，格式：西元年-月-日（例如 2019-03-01）"),
    "datetime": _(
        "%(field)s請填寫有效的日期及時間，格式：西元年-月-日 時:分（例如 2026-03-01 17:00）"
    ),
    "email": _("%(field)s格式不正確，請填寫如 name@example.com 的電子信箱"),
    "max_length": _("%(field)s最多 %(limit_value)s 字，目前 %(show_value)s 字，請精簡後再儲存"),
    "null_characters": _("%(field)s含有無法儲存的控制字元，請刪除後再儲存"),
    "invalid_choice": _("%(field)s請從選項中選擇（「%(value)s」不是選項之一）"),
    "invalid_list": _("%(field)s請從選項中勾選"),
    "no_file": _("%(field)s：沒有收到檔案，請重新選擇檔案後再上傳"),
    "empty_file": _("%(field)s：檔案是空的（0 位元組），請重新選擇檔案"),
}
# 「A-1 」「8.3.1 」「B. 」 before a label, 「：」 after it: the page's numbering, not the name.
_NUMBERING = re.compile(r"^(?:[A-Z][.-]\d*|\d+(?:\.\d+)*\.?)\s+")


def error_name(label):
    """The name a field's messages use: its label without numbering and closing colon."""
    return _NUMBERING.sub("", str(label).strip()).rstrip("：:").strip()


class _Later(dict):
    """Format parameters that leave a placeholder they do not hold for Django to fill."""

    def __missing__(self, key):
        return f"%({key})s"


def _shown(kind, name, limits):
    return str(INVALID_MESSAGES[kind]) % _Later(field=error_name(name), **limits)


# One lazy factory for every message: ``lazy()`` builds a proxy class each time it is called,
# and calling it per message (63 per wizard form) was most of a wizard page's time.
_shown_lazily = lazy(_shown, str)


def _invalid_message(kind, name, **limits):
    """The message, in the language active when it is shown."""
    return _shown_lazily(kind, name, limits)


def invalid_messages(field, name):
    """``error_messages`` for a value ``field`` refuses, naming the field ``name`` (a label):
    which ones depends on the kind of field and the limits it has. The message for an empty
    required field is each field's own (``required``) and stays."""
    messages = {}
    if isinstance(field, forms.IntegerField):
        kind = "amount" if getattr(field, "amount_ntd", False) else "integer"
        messages["invalid"] = _invalid_message(kind, name)
        for code in ("min_value", "max_value"):
            if getattr(field, code) is not None:
                limit = f"{getattr(field, code):,}"  # 10,000,000
                messages[code] = _invalid_message(code, name, limit_value=limit)
    if isinstance(field, forms.DateField):
        messages["invalid"] = _invalid_message("date", name)
    if isinstance(field, forms.DateTimeField):
        messages["invalid"] = _invalid_message("datetime", name)
    if isinstance(field, forms.CharField):
        if isinstance(field, forms.EmailField):
            messages["invalid"] = _invalid_message("email", name)
        if field.max_length is not None:
            # As Django writes the length typed: 「最多 3000 字，目前 3004 字」.
            messages["max_length"] = _invalid_message(
                "max_length", name, limit_value=field.max_length
            )
        messages["null_characters_not_allowed"] = _invalid_message("null_characters", name)
    if isinstance(field, forms.ChoiceField):
        messages["invalid_choice"] = _invalid_message("invalid_choice", name)
    if isinstance(field, forms.MultipleChoiceField):
        messages["invalid_list"] = _invalid_message("invalid_list", name)
    if isinstance(field, forms.FileField):
        messages["invalid"] = messages["missing"] = _invalid_message("no_file", name)
        messages["empty"] = _invalid_message("empty_file", name)
    return messages


def django_messages(field):
    """The messages Django gives ``field`` of its own (its classes' ``default_error_messages``;
    a code only a validator knows, such as ``max_length``, has none: ``None``)."""
    messages = {}
    for cls in reversed(type(field).__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def name_invalid_values(form):
    """Give each field of ``form`` the messages of ``invalid_messages`` for the codes where it
    still has Django's own message; a message the form set on purpose stays. A field is named
    by ``form.error_names`` where its label is not its name, else by its label."""
    names = getattr(form, "error_names", {})
    for key, field in form.fields.items():
        django = django_messages(field)
        for code, message in invalid_messages(field, names.get(key, field.label or key)).items():
            if field.error_messages.get(code) is django.get(code):
                field.error_messages[code] = message


class NamedInvalidMessages:
    """A form whose refusals of a typed value name the field (``name_invalid_values``), set
    when the form is checked, so fields added in a subclass's ``__init__`` are named too."""

    # The name a field's messages give it where its label is not a name.
    error_names: dict = {}

    def full_clean(self):
        name_invalid_values(self)
        super().full_clean()


def whole_number_input(widget=forms.TextInput, **attrs):
    """A text box with the digit keyboard, not ``type="number"``: the browser empties a number
    box holding what is not a number (「1,000」, 「12.5」 where a step of 1 is set), so what was
    typed would be sent as nothing, refused as missing and shown again as an empty box; a text
    box sends it as typed, and the page shows it again next to the message saying what is wrong.
    ``widget``: the text box's class (the meeting page draws its own, ``review.widgets``)."""
    return widget(attrs={"inputmode": "numeric", **attrs})


class WholeNumberField(forms.IntegerField):
    """A whole number as people type one: digit-group separators (「25,000,000」, 「1 500」,
    full-width 「，」) and full-width digits (「１２」) are read as the number they write,
    not refused; anything else is refused as before."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value).strip()
            if _GROUPED.fullmatch(value):
                value = re.sub(r"[,\s]", "", value)
        return super().to_python(value)


# Digits in groups of three: 「1,000」, 「25,000,000」, 「1 500」, 「-1,000」;
# not 「1,2,3」 or 「12,34」.
_GROUPED = re.compile(r"-?\d{1,3}(?:[,\s]\d{3})+")
