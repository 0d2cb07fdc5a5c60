"""Disabling or prohibiting a catalogue model that applications in progress or awards in use
chose: the operator's page names them (number, company) and saves only once confirmed; the
change list's box refuses with the same names; the audit says how many were touched."""

import datetime

import pytest
from django.utils import timezone

from aipower.accounts.models import Company, User
from aipower.accounts.roles import sync_role_groups
from aipower.applications.enums import ApplicationState
from aipower.applications.models import Application
from aipower.calls.enums import CategoryKind
from aipower.calls.models import CatalogueModel
from aipower.core.models import AuditEntry
from aipower.devtools.demo_grants import grant_inference_award
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_client(db):
    user = User.objects.create_user("operator", password="x" * 16, role="operator")
    sync_role_groups()
    user.refresh_from_db()
    return verified_client(user)


@pytest.fixture
def model(call_115):
    return CatalogueModel.objects.filter(
        call=call_115, offered_inference=True, enabled=True, prohibited=False
    ).order_by("order")[0]


def _applying(call, model, ubn, name, state=ApplicationState.SUBMITTED):
    company = Company.objects.create(ubn=ubn, name=name)
    return Application.objects.create(
        call=call,
        company=company,
        category=CategoryKind.INFERENCE,
        state=state,
        number=f"115-I-{ubn}",
        data={"inference": {"inference_models": [model.display_name]}},
    )


def _awarded(call, model):
    today = timezone.localdate()
    company = Company.objects.create(ubn="84700087", name="晴空資訊股份有限公司")
    return grant_inference_award(
        company,
        call,
        points=1000,
        models=[model],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )


def _page(model, **changes):
    data = {
        "call": model.call_id,
        "display_name": model.display_name,
        "order": model.order,
        "parameter_size": model.parameter_size,
        "vendor": model.vendor,
        "country": model.country,
        "upstream_id": model.upstream_id,
    }
    for name in ("offered_no_code", "offered_validation", "offered_inference", "enabled"):
        if getattr(model, name):
            data[name] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_disabling_a_model_in_use_names_the_users_and_waits_for_a_confirmation(
    operator_client, call_115, model
):
    app = _applying(call_115, model, "52880483", "山嵐資訊有限公司")
    _applying(call_115, model, "48552728", "草稿公司", state=ApplicationState.DRAFT)
    award = _awarded(call_115, model)
    url = f"/admin/calls/cataloguemodel/{model.pk}/change/"

    refused = operator_client.post(url, _page(model, enabled=None))
    model.refresh_from_db()

    html = refused.content.decode()
    assert refused.status_code == 200 and model.enabled is True
    assert "此模型已有 1 件申請中之申請案、1 件核定使用" in html
    assert f"{app.number} 山嵐資訊有限公司" in html
    assert f"{award.application.number} 晴空資訊股份有限公司（核定）" in html
    assert "草稿公司" not in html
    assert not AuditEntry.objects.filter(action="gateway.model_withdrawn").exists()

    saved = operator_client.post(url, _page(model, enabled=None, confirm_withdrawal="on"))
    model.refresh_from_db()

    assert saved.status_code == 302 and model.enabled is False
    entry = AuditEntry.objects.get(action="gateway.model_withdrawn")
    assert (entry.data["application_count"], entry.data["award_count"]) == (1, 1)
    assert entry.data["applications"] == [app.number]
    assert entry.data["awards"] == [award.application.number]
    change = AuditEntry.objects.get(action="admin.change")
    assert change.data["fields"] == ["enabled"]


def test_prohibiting_a_model_an_award_uses_asks_for_the_confirmation_too(
    operator_client, call_115, model
):
    _awarded(call_115, model)
    url = f"/admin/calls/cataloguemodel/{model.pk}/change/"

    refused = operator_client.post(url, _page(model, enabled=None, prohibited="on"))
    model.refresh_from_db()

    assert "此模型已有 0 件申請中之申請案、1 件核定使用" in refused.content.decode()
    assert (model.enabled, model.prohibited) == (True, False)


def test_disabling_a_model_nobody_chose_saves_at_once_and_audits_none(
    operator_client, call_115, model
):
    url = f"/admin/calls/cataloguemodel/{model.pk}/change/"

    saved = operator_client.post(url, _page(model, enabled=None))
    model.refresh_from_db()

    assert saved.status_code == 302 and model.enabled is False
    entry = AuditEntry.objects.get(action="gateway.model_withdrawn")
    assert (entry.data["application_count"], entry.data["award_count"]) == (0, 0)


def test_the_change_list_box_refuses_a_model_in_use_naming_the_users(
    operator_client, call_115, model
):
    app = _applying(call_115, model, "52880483", "山嵐資訊有限公司")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(model.pk),
        "_save": "儲存",
    }

    response = operator_client.post(f"/admin/calls/cataloguemodel/?id__exact={model.pk}", data)
    model.refresh_from_db()

    html = response.content.decode()
    assert model.enabled is True
    assert f"{app.number} 山嵐資訊有限公司" in html
    assert "請至此模型之頁面確認後再停用" in html


def test_an_award_whose_service_ended_or_a_refused_application_is_not_named(
    operator_client, call_115, model
):
    from aipower.grants.models import AllowanceState

    award = _awarded(call_115, model)
    award.allowance.state = AllowanceState.ENDED
    award.allowance.save(update_fields=["state"])
    _applying(call_115, model, "52880483", "山嵐資訊有限公司", state=ApplicationState.INELIGIBLE)
    url = f"/admin/calls/cataloguemodel/{model.pk}/change/"

    saved = operator_client.post(url, _page(model, enabled=None))

    assert saved.status_code == 302
    entry = AuditEntry.objects.get(action="gateway.model_withdrawn")
    assert (entry.data["application_count"], entry.data["award_count"]) == (0, 0)


def test_renaming_a_model_applications_chose_is_refused_naming_them(
    operator_client, call_115, model
):
    """Applications record a chosen model by its display name: a renamed model no longer
    matched them (the wizard's box unticked, the reviewers' and the gateway's checks missed it),
    with no word to the operator."""
    app = _applying(call_115, model, "52880483", "山嵐資訊有限公司", state=ApplicationState.DRAFT)
    old_name = model.display_name
    url = f"/admin/calls/cataloguemodel/{model.pk}/change/"

    refused = operator_client.post(url, _page(model, display_name="新名稱 8B"))
    model.refresh_from_db()

    html = refused.content.decode()
    assert refused.status_code == 200 and model.display_name == old_name
    assert "已有 1 件申請案選用此模型" in html
    assert f"{app.number} 山嵐資訊有限公司" in html
    assert 'value="新名稱 8B"' in html  # what was typed stays in the box
    assert not AuditEntry.objects.filter(action="admin.change").exists()


def test_renaming_a_model_nobody_chose_saves(operator_client, call_115, model):
    _applying(call_115, model, "52880483", "山嵐資訊有限公司")
    other = CatalogueModel.objects.filter(call=call_115).exclude(pk=model.pk).order_by("order")
    unchosen = next(m for m in other if m.display_name != model.display_name)
    url = f"/admin/calls/cataloguemodel/{unchosen.pk}/change/"

    saved = operator_client.post(url, _page(unchosen, display_name="更名後的模型"))
    unchosen.refresh_from_db()

    assert saved.status_code == 302 and unchosen.display_name == "更名後的模型"
