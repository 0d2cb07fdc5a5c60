"""A model the operator takes off the catalogue after a company chose it: the company's page
still shows its choice, marked 已停止提供, and saving it says plainly to choose another (the
choice vanished from the page — saving it then dropped it without a word — or, sent as it was,
read 「請選擇有效的選項, … 不是一個可用的選項。」)."""

import pytest
from django.urls import reverse

from aipower.applications.models import Application
from aipower.calls.models import CatalogueModel

from .conftest import TRAINING, fill_application

pytestmark = pytest.mark.integration

RETIRED = "Llama-3.1-TAIDELX-8B-Lora"  # the example application's No-Code model
STEP = reverse("applications:step", args=["training-1"])


@pytest.fixture
def chosen_then_retired(draft, company_user):
    app = fill_application(draft, company_user)
    assert app.data["training"]["no_code_models"] == [RETIRED]
    CatalogueModel.objects.filter(call=app.call, display_name=RETIRED).update(enabled=False)
    return app


def page_data(app, **changes):
    return {
        **TRAINING["training-1"],
        **changes,
        "application": app.pk,
        "revision": app.revision,
    }


def test_the_page_shows_the_retired_choice_checked_and_marked(chosen_then_retired, company_client):
    html = company_client.get(STEP).content.decode()

    assert f'name="no_code_models" value="{RETIRED}"' in html
    box = html.split(f'value="{RETIRED}"', 1)[1].split(">", 1)[0]
    assert "checked" in box
    assert f"{RETIRED}（已停止提供）" in html


def test_saving_the_retired_choice_says_to_choose_another(chosen_then_retired, company_client):
    response = company_client.post(STEP, page_data(chosen_then_retired))

    html = response.content.decode()
    assert "不是一個可用的選項" not in html
    assert f"「{RETIRED}」已不在模型清單中（已停止提供），請取消勾選並改選其他模型" in html


def test_choosing_another_model_saves(chosen_then_retired, company_client):
    other = "Llama-3.1-FFM-8B-Lora"

    response = company_client.post(STEP, page_data(chosen_then_retired, no_code_models=[other]))

    assert response.status_code == 302
    app = Application.objects.get(pk=chosen_then_retired.pk)
    assert app.data["training"]["no_code_models"] == [other]
