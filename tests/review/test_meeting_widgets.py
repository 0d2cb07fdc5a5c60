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


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_forms_rows_drawn_in_python_are_djangos_field_template(call, language):
    """``drawn_fields()`` (the meeting page's rows without an include per field) writes what
    Django's templates write, character for character, with and without errors."""
    cases = [(DecisionForm, args, kwargs) for args, kwargs in decision_cases(call)] + [
        (OverrideForm, (), {"prefix": "o7", "initial": {"points": 2000}}),
        (OverrideForm, ({"o7-points": "abc", "o7-reason": ""},), {"prefix": "o7"}),
        (SendBackForm, (), {"prefix": "b7"}),
        (SendBackForm, ({"b7-reason": ""},), {"prefix": "b7"}),
    ]
    with translation.override(language):
        for form_class, args, kwargs in cases:
            form = form_class(*args, **kwargs)
            assert form.drawn_fields() == drawn(as_django(form_class)(*args, **kwargs))


def test_a_field_with_help_text_and_an_error_is_drawn_as_the_template_draws_it(call):
    """The branches the meeting's forms do not reach today (help text; radio buttons with help
    text and an error) are drawn as ``core/_field.html`` draws them too."""

    class WithHelp(DecisionForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["outcome"].help_text = "說明 <一>"
            self.fields["reasons"].help_text = "說明 & 二"

    args, kwargs = ({"d7-outcome": "maybe"},), {"call": call, "prefix": "d7"}
    form = WithHelp(*args, **kwargs)

    assert form.drawn_fields() == drawn(as_django(WithHelp)(*args, **kwargs))
    assert 'aria-describedby="id_d7-outcome_helptext id_d7-outcome_error"' in form.drawn_fields()


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_reviewers_totals_are_written_as_a_blocktranslate_per_score_wrote_them(language):
    """``reviewer_totals`` (one filter for the meeting's 各委員加權總分 cell) writes what the
    template's loop of ``blocktranslate`` with ``floatformat:3`` wrote: the totals' decimals,
    the z scores rounded half up to three places (no 「-0.000」), the list's separator."""
    from decimal import Decimal
    from types import SimpleNamespace

    from django.template import Context, Template

    scores = [
        SimpleNamespace(total=Decimal("82.50"), z=0.51249),
        SimpleNamespace(total=Decimal("79"), z=-1.0005),
        SimpleNamespace(total=Decimal("60.25"), z=-0.0004),
        SimpleNamespace(total=Decimal("1000.5"), z=2.0),
    ]
    loop = Template(
        "{% load i18n %}{% for s in scores %}{% blocktranslate with total=s.total"
        " z=s.z|floatformat:3 %}{{ total }}（{{ z }}）{% endblocktranslate %}{% if not"
        ' forloop.last %}{% translate "、" context "list" %}{% endif %}{% endfor %}'
    )
    filtered = Template("{% load review_tags %}{{ scores|reviewer_totals }}")
    with translation.override(language):
        for case in (scores, scores[:1], []):
            context = Context({"scores": case})
            assert filtered.render(context) == loop.render(context)
    with translation.override("zh-hant"):
        assert filtered.render(Context({"scores": scores[:2]})) == "82.50（0.512）、79（-1.001）"
