"""The meeting's forms, drawn in Python (``review.widgets``), write exactly what Django's form
templates write: every field as the page includes it (label, widget, errors), unbound with the
initial values the meeting gives and bound with errors, in Chinese and in English."""

import pytest
from django import forms
from django.forms.utils import ErrorList
from django.template.loader import render_to_string
from django.utils import translation

from aipower.calls.models import Tier
from aipower.review.forms import DecisionForm, OverrideForm, SendBackForm

pytestmark = pytest.mark.integration


def as_django(form_class):
    """``form_class`` drawn by Django's templates: its errors, labels and widgets Django's."""

    class Plain(form_class):
        error_class = ErrorList
        render = forms.Form.render

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                django_widget = next(
                    c for c in type(field.widget).__mro__ if c.__module__ == "django.forms.widgets"
                )
                field.widget.__class__ = django_widget

    return Plain


def drawn(form):
    """The form's fields as the meeting page includes them."""
    return "".join(render_to_string("core/_field.html", {"field": field}) for field in form)


def both(form_class, *args, **kwargs):
    return drawn(form_class(*args, **kwargs)), drawn(as_django(form_class)(*args, **kwargs))


@pytest.fixture
def call(open_call):
    return open_call


def decision_cases(call):
    tier = Tier.objects.filter(call=call).first()
    common = {"call": call, "prefix": "d7"}
    return [
        ((), {**common, "initial": {"outcome": "", "tier": None, "reasons": ""}}),
        (
            (),
            {
                **common,
                "initial": {"outcome": "approved", "tier": tier.pk, "reasons": "<b>好</b> & 佳"},
            },
        ),
        (({"d7-outcome": "approved"},), common),  # no tier: an error under 核定級別
        (({"d7-outcome": "not_approved", "d7-reasons": " "},), common),  # no reasons
        (({"d7-outcome": "maybe", "d7-tier": "999"},), common),  # not a choice
    ]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_decision_form_is_drawn_as_django_draws_it(call, language):
    with translation.override(language):
        for args, kwargs in decision_cases(call):
            mine, django = both(DecisionForm, *args, **kwargs)
            assert mine == django
            assert 'name="d7-outcome"' in mine


@pytest.mark.parametrize(
    ("form_class", "args", "kwargs"),
    [
        (OverrideForm, (), {"prefix": "o7", "initial": {"points": 2000}}),
        (OverrideForm, ({"o7-points": "abc", "o7-reason": ""},), {"prefix": "o7"}),
        (OverrideForm, ({"o7-points": "0", "o7-reason": '"<x>"'},), {"prefix": "o7"}),
        (SendBackForm, (), {"prefix": "b7"}),
        (SendBackForm, ({"b7-reason": ""},), {"prefix": "b7"}),
    ],
)
def test_override_and_send_back_forms_are_drawn_as_django_draws_them(form_class, args, kwargs):
    mine, django = both(form_class, *args, **kwargs)

    assert mine == django
    assert ("<textarea" in mine) and ('aria-invalid="true"' in mine) == bool(args)
