"""Every form outside the admin refuses a value typed but not valid naming the field: for each
code a field refuses a typed value with (a whole number not one, a date not one, too long, not
one of the options, a file not received…), its message is not Django's own 「輸入整數。」,
「輸入有效的日期。」, 「請確認這個值至多包含 200 個字」… but names the field, in zh-Hant and in
English (``core.form_messages``). The wizard's pages are checked field by field in
``tests/applications/test_invalid_messages.py``."""

import copy
import importlib
import inspect
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from aipower.applications.forms import StepForm
from aipower.core.form_messages import (
    NamedInvalidMessages,
    django_messages,
    error_name,
    invalid_messages,
    name_invalid_values,
)

pytestmark = pytest.mark.unit

SRC = Path(__file__).resolve().parents[2] / "src" / "aipower"


def form_classes():
    for path in sorted(SRC.glob("*/forms.py")):
        module = importlib.import_module(f"aipower.{path.parent.name}.forms")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, forms.BaseForm)
                and not issubclass(cls, StepForm)
            ):
                yield cls


# Forms whose fields are made in ``__init__``: made with these arguments (no database).
MADE = {"CorrectionForm": {"submitted": True}}


def bare(cls):
    """``cls`` as its ``full_clean`` sees it, without the arguments its ``__init__`` needs."""
    if cls.__name__ in MADE:
        form = cls(**MADE[cls.__name__])
    else:
        form = cls.__new__(cls)
        form.fields = copy.deepcopy(cls.base_fields)
    name_invalid_values(form)
    return form


def unnamed(cls):
    """``(field, code, message)`` of each refusal whose message does not name its field."""
    form = bare(cls)
    names = getattr(form, "error_names", {})
    found = []
    for key, field in form.fields.items():
        django = django_messages(field)
        for code in invalid_messages(field, key):
            message = field.error_messages.get(code)
            for language in ("zh-hant", "en"):
                with translation.override(language):
                    name = error_name(names.get(key, field.label or key))
                    shown = str(message) if message is not None else ""
                    if (
                        message is None
                        or message is django.get(code)
                        or name.lower() not in shown.lower()
                    ):
                        found.append((key, code, language, shown))
    return found


def test_every_form_outside_the_wizard_names_its_fields():
    classes = list(form_classes())
    assert len(classes) > 30  # the forms of review, compliance, privacy, accounts…
    not_named = [cls.__qualname__ for cls in classes if not issubclass(cls, NamedInvalidMessages)]
    assert not_named == []


@pytest.mark.parametrize("cls", list(form_classes()), ids=lambda cls: cls.__qualname__)
def test_each_refusal_of_a_typed_value_names_the_field(cls):
    assert unnamed(cls) == []
