"""A required answer left empty says what it needs, under the field's own label (「請勾選產品化
進度」), on every wizard page and on the productisation survey that reuses section 8: each said
Django's 這個欄位是必須的。 / "This field is required." under every field."""

import pytest
from django.utils import translation

from aipower.applications import flow
from aipower.applications.forms import ProductForm
from aipower.followup.forms import SurveyForm

pytestmark = pytest.mark.integration

GENERIC = {"這個欄位是必須的。", "This field is required."}

SECTION_8_ZH = {
    "customers": ["請勾選主要目標客戶"],
    "progress": ["請勾選產品化進度"],
    "product_forms": ["請勾選產品形式"],
    "pricing_units": ["請勾選計價單位"],
    "pricing_period": ["請選擇計價時間"],
}
SECTION_8_EN = {
    "customers": ["Tick the main target customers"],
    "progress": ["Tick the productisation progress"],
    "product_forms": ["Tick the product form"],
    "pricing_units": ["Tick the pricing unit"],
    "pricing_period": ["Choose the pricing period"],
}


def errors_of(form):
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    ("language", "section_8", "other_needs"),
    [
        ("zh-hant", SECTION_8_ZH, '請填寫其他需求，若沒有，則填寫"無"'),
        ("en", SECTION_8_EN, 'Enter other needs, or write "無" (none) if there are none'),
    ],
)
def test_an_empty_section_8_says_what_each_field_needs(draft, language, section_8, other_needs):
    with translation.override(language):
        form = ProductForm({}, app=draft)
        assert not form.is_valid()
        assert errors_of(form) == {**section_8, "other_needs": [other_needs]}


@pytest.mark.parametrize(
    ("language", "section_8", "produced"),
    [
        (
            "zh-hant",
            SECTION_8_ZH,
            {
                "models_made": ["請填寫已產出模型（項）"],
                "applications_made": ["請填寫已產出應用（項）"],
                "product_name": ['請填寫產品或服務名稱，若沒有，則填寫"無"'],
                "paying_customers": ["請填寫付費客戶數"],
            },
        ),
        (
            "en",
            SECTION_8_EN,
            {
                "models_made": ["Enter the models produced (count)"],
                "applications_made": ["Enter the applications produced (count)"],
                "product_name": [
                    'Enter the product or service name, or write "無" (none) if there is none'
                ],
                "paying_customers": ["Enter the number of paying customers"],
            },
        ),
    ],
)
def test_an_empty_survey_says_what_each_field_needs(language, section_8, produced):
    with translation.override(language):
        form = SurveyForm({}, app=None)
        assert not form.is_valid()
        assert errors_of(form) == {**section_8, **produced}


def test_an_empty_profile_page_names_each_field(draft):
    with translation.override("zh-hant"):
        errors = errors_of(flow.STEPS_BY_ID["profile"].get_form(draft, {}, draft=False))
    with translation.override("en"):
        english = errors_of(flow.STEPS_BY_ID["profile"].get_form(draft, {}, draft=False))

    assert errors["representative"] == ["請填寫代表人"]
    assert errors["pi_phone"] == ["請填寫專案主持人連絡電話(公司)市話"]
    assert errors["industries"] == ["請勾選行業分類"]
    assert errors["consent"] == ["請勾選個資同意"]
    assert english["representative"] == ["Enter the representative"]
    assert english["pi_phone"] == ["Enter the project leader's office landline"]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize(
    "identifier", [step.identifier for step in flow.STEPS if step.identifier not in ("done",)]
)
def test_no_wizard_page_says_only_that_a_field_is_required(draft, identifier, language):
    """Every required field of every page has a message of its own: translated, and no two
    fields of a page alike."""
    step = flow.STEPS_BY_ID[identifier]
    with translation.override(language):
        form = step.form_class({}, app=draft, draft=False)
        form.is_valid()
        errors = errors_of(form)
        required = [
            name for name, field in form.fields.items() if field.required and not field.disabled
        ]
        messages = [errors[name][0] for name in required]

    assert set(messages).isdisjoint(GENERIC)
    assert len(set(messages)) == len(messages)
    if language == "en":
        assert all(message.isascii() or "無" in message for message in messages), messages
    assert all(len(errors[name]) == 1 for name in required)
