"""The operator's admin: review criteria whose weights do not add up to 100 are refused with a
clear message; a correct change is saved and audited."""

import pathlib

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.forms import inlineformset_factory
from django.test import RequestFactory
from django.utils import translation

import aipower.calls
from aipower.calls.admin import CriterionFormSet
from aipower.calls.enums import CategoryKind
from aipower.calls.models import (
    Announcement,
    Call,
    CatalogueModel,
    Category,
    Criterion,
    Text,
)
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration

MESSAGE_ZH = "審查重點權重合計須為 100%（目前為 95%）。"
MESSAGE_EN = "The review criteria's weights must add up to 100% (they now add up to 95%)."


@pytest.fixture
def inference(call_115):
    return Category.objects.get(call=call_115, kind=CategoryKind.INFERENCE)


def _formset_data(category, weights):
    criteria = list(category.criteria.order_by("order"))
    prefix = "criteria"
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(criteria)),
        f"{prefix}-INITIAL_FORMS": str(len(criteria)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, (criterion, weight) in enumerate(zip(criteria, weights, strict=True)):
        data.update(
            {
                f"{prefix}-{index}-id": str(criterion.pk),
                f"{prefix}-{index}-category": str(category.pk),
                f"{prefix}-{index}-order": str(criterion.order),
                f"{prefix}-{index}-key": criterion.key,
                f"{prefix}-{index}-name_zh": criterion.name_zh,
                f"{prefix}-{index}-name_en": criterion.name_en,
                f"{prefix}-{index}-weight": str(weight),
            }
        )
    return data


def _change_category(category, user, weights, more=None):
    """POST the category's admin change form, as the operator would (``more``: other inputs)."""
    data = {
        "call": str(category.call_id),
        "kind": category.kind,
        "order": str(category.order),
        "name_zh": category.name_zh,
        "name_en": category.name_en,
        "tagline_zh": category.tagline_zh,
        "tagline_en": category.tagline_en,
        "description_zh": category.description_zh,
        "description_en": category.description_en,
        "point_definition_zh": category.point_definition_zh,
        "point_definition_en": category.point_definition_en,
        "units_per_point": str(category.units_per_point),
        "metering_unit": str(category.metering_unit),
        "batches-TOTAL_FORMS": "0",
        "batches-INITIAL_FORMS": "0",
        "batches-MIN_NUM_FORMS": "0",
        "batches-MAX_NUM_FORMS": "1000",
        **_formset_data(category, weights),
        **(more or {}),
    }
    request = RequestFactory().post(f"/admin/calls/category/{category.pk}/change/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    request._dont_enforce_csrf_checks = True
    model_admin = admin.site._registry[Category]
    response = model_admin.changeform_view(request, str(category.pk))
    if hasattr(response, "render"):
        response.render()
    return response


def test_admin_refuses_weights_not_adding_up_to_100(inference, operator):
    response = _change_category(inference, operator, [25, 25, 20, 15, 10])

    assert response.status_code == 200
    assert MESSAGE_ZH in response.content.decode()
    assert list(inference.criteria.order_by("order").values_list("weight", flat=True)) == [
        25,
        25,
        20,
        20,
        10,
    ]


def test_admin_saves_weights_adding_up_to_100_and_audits(inference, operator):
    response = _change_category(inference, operator, [30, 20, 20, 20, 10])

    assert response.status_code == 302
    assert list(inference.criteria.order_by("order").values_list("weight", flat=True)) == [
        30,
        20,
        20,
        20,
        10,
    ]
    entry = AuditEntry.objects.get(object_type="calls.Category")
    assert (entry.action, entry.actor) == ("admin.change", operator)
    changed = [item["changed"]["object"] for item in entry.data["message"]]
    assert changed == ["專案重要性 (30%)", "產業應用機會 (20%)"]
    rows = AuditEntry.objects.filter(object_type="calls.Criterion").order_by("id")
    assert [(row.action, row.data["before"], row.data["after"]) for row in rows] == [
        ("admin.change", {"weight": "25"}, {"weight": "30"}),
        ("admin.change", {"weight": "25"}, {"weight": "20"}),
    ]
    assert {row.data["parent"] for row in rows} == {str(inference)}


def test_criterion_formset_refuses_a_total_below_100(inference):
    formset_class = inlineformset_factory(
        Category, Criterion, formset=CriterionFormSet, fields=["key", "name_zh", "weight"], extra=0
    )
    data = _formset_data(inference, [25, 25, 20, 15, 10])

    formset = formset_class(data, instance=inference, prefix="criteria")

    assert formset.is_valid() is False
    assert formset.non_form_errors() == [MESSAGE_ZH]


def test_criterion_formset_ignores_deleted_rows(inference):
    formset_class = inlineformset_factory(
        Category, Criterion, formset=CriterionFormSet, fields=["key", "name_zh", "weight"], extra=0
    )
    data = _formset_data(inference, [25, 25, 20, 20, 10])
    data["criteria-4-DELETE"] = "on"

    formset = formset_class(data, instance=inference, prefix="criteria")

    assert formset.is_valid() is False
    assert formset.non_form_errors() == ["審查重點權重合計須為 100%（目前為 90%）。"]


def test_weights_message_has_an_english_translation(inference):
    mo = pathlib.Path(aipower.calls.__file__).parent / "locale/en/LC_MESSAGES/django.mo"
    if not mo.exists():
        pytest.skip("English catalogue not compiled: run `make messages`")
    formset_class = inlineformset_factory(
        Category, Criterion, formset=CriterionFormSet, fields=["key", "name_zh", "weight"], extra=0
    )
    data = _formset_data(inference, [25, 25, 20, 15, 10])

    with translation.override("en"):
        formset = formset_class(data, instance=inference, prefix="criteria")
        errors = [str(error) for error in formset.non_form_errors()]

    assert errors == [MESSAGE_EN]


def _get(user, path):
    request = RequestFactory().get(path)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize(
    "model", [Call, Category, CatalogueModel, Text, Announcement], ids=lambda m: m.__name__
)
def test_admin_changelist_and_change_pages_render(call_115, operator, model):
    model_admin = admin.site._registry[model]
    obj = model.objects.order_by("pk").first()

    listing = model_admin.changelist_view(_get(operator, "/admin/"))
    listing.render()
    change = model_admin.changeform_view(_get(operator, "/admin/"), str(obj.pk))
    change.render()

    assert (listing.status_code, change.status_code) == (200, 200)


def test_admin_catalogue_list_cannot_enable_a_prohibited_model(call_115, operator):
    model_admin = admin.site._registry[CatalogueModel]
    formset_class = model_admin.get_changelist_formset(_get(operator, "/admin/"))
    deepseek = CatalogueModel.objects.get(call=call_115, display_name="DeepSeek-R1")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(deepseek.pk),
        "form-0-enabled": "on",
    }

    formset = formset_class(data, queryset=CatalogueModel.objects.filter(pk=deepseek.pk))

    assert formset.is_valid() is False
    assert formset.forms[0].non_field_errors() == ["禁止使用的模型不得啟用。"]


def test_admin_audits_an_inline_row_added_with_its_values(inference, operator):
    index = inference.criteria.count()
    weights = list(inference.criteria.order_by("order").values_list("weight", flat=True))
    weights[0] -= 10
    new_row = {
        "criteria-TOTAL_FORMS": str(index + 1),
        f"criteria-{index}-category": str(inference.pk),
        f"criteria-{index}-order": "99",
        f"criteria-{index}-key": "new_focus",
        f"criteria-{index}-name_zh": "新審查重點",
        f"criteria-{index}-weight": "10",
    }

    response = _change_category(inference, operator, weights, more=new_row)

    assert response.status_code == 302
    added = AuditEntry.objects.get(action="admin.add", object_type="calls.Criterion")
    changed = AuditEntry.objects.get(action="admin.change", object_type="calls.Criterion")
    assert added.object_id == str(inference.criteria.get(key="new_focus").pk)
    assert (added.data["after"]["name_zh"], added.data["after"]["weight"]) == ("新審查重點", "10")
    assert (changed.data["before"], changed.data["after"]) == (
        {"weight": str(weights[0] + 10)},
        {"weight": str(weights[0])},
    )
    assert {added.data["parent"], changed.data["parent"]} == {str(inference)}


def test_admin_audits_an_inline_row_deleted(inference, operator):
    # The operator's role may not delete criteria; a superuser may (and is audited alike).
    operator.is_superuser = True
    operator.save(update_fields=["is_superuser"])
    criteria = list(inference.criteria.order_by("order"))
    weights = [criterion.weight for criterion in criteria]
    weights[0] += weights[-1]
    gone = criteria[-1]

    response = _change_category(
        inference, operator, weights, more={f"criteria-{len(criteria) - 1}-DELETE": "on"}
    )

    assert response.status_code == 302
    assert not inference.criteria.filter(pk=gone.pk).exists()
    deleted = AuditEntry.objects.get(action="admin.delete", object_type="calls.Criterion")
    assert (deleted.object_id, deleted.data["repr"], deleted.data["parent"]) == (
        str(gone.pk),
        str(gone),
        str(inference),
    )
