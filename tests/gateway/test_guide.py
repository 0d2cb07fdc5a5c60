"""The company's API guide (``/keys/guide/``): the models its keys may call, as the API itself
lists them, ready examples, how use is charged and the errors."""

import html

import pytest

from aipower.accounts.enums import Role
from aipower.accounts.models import User
from aipower.gateway.core import public_model_id

pytestmark = [pytest.mark.integration, pytest.mark.urls("tests.gateway.urls")]


@pytest.fixture
def browser_client():
    from django.test import Client

    return Client()


def sign_in(browser_client, company):
    user = User.objects.create(
        username=f"company-{company.ubn}", role=Role.COMPANY, company=company
    )
    browser_client.force_login(user)
    return browser_client


def test_the_guide_lists_the_models_the_api_lists_for_the_companys_keys(
    browser_client, company, award, inference_models, client
):
    page = sign_in(browser_client, company).get("/keys/guide/")
    text = html.unescape(page.content.decode())

    listed_by_the_api = [model.id for model in client.models.list()]
    allowed, other = (public_model_id(m) for m in inference_models)
    assert page.status_code == 200
    assert listed_by_the_api == [allowed]
    assert f"<code>{allowed}</code>" in text
    assert f"<code>{other}</code>" not in text  # a catalogue model the award does not have
    assert f'"model": "{allowed}"' in text and f'model="{allowed}"' in text  # the examples
    assert "http://testserver/v1/chat/completions" in text
    assert "依實際 Token 數計量" in text  # how this award is charged


def test_a_company_without_an_inference_award_is_told_so(browser_client, company, seeded_call):
    page = sign_in(browser_client, company).get("/keys/guide/").content.decode()

    assert "貴公司尚無模型推論類之核定點數" in page
    assert 'model": "MODEL_ID"' in page  # the examples keep a placeholder


def test_the_guide_needs_a_company_sign_in(browser_client, transactional_db):
    response = browser_client.get("/keys/guide/")

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_key_list_links_to_the_guide(browser_client, company, seeded_call):
    page = sign_in(browser_client, company).get("/keys/").content.decode()

    assert 'href="/keys/guide/"' in page
