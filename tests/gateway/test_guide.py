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


def test_the_guide_explains_every_error_code_the_gateway_sends(browser_client, company, award):
    """Codes read from the gateway's source (each ``GatewayError(status, "code", …)``), so a
    new error cannot be left out of the table the companies read."""
    import pathlib
    import re

    import aipower.gateway

    source = "".join(
        path.read_text(encoding="utf-8")
        for path in pathlib.Path(aipower.gateway.__file__).parent.glob("*.py")
    )
    sent = set(re.findall(r'GatewayError\(\s*(\d{3}),\s*"(\w+)"', source))
    assert ("413", "request_too_large") in sent and len(sent) >= 9

    page = sign_in(browser_client, company).get("/keys/guide/").content.decode()

    missing = [
        (status, code)
        for status, code in sorted(sent)
        if f"<tr><td>{status}</td><td><code>{code}</code></td>" not in page
    ]
    assert missing == []
    assert "請求內容超過 16 MB 上限。" in page


def test_the_guide_says_max_tokens_is_capped_by_the_models_context_too(
    browser_client, company, award
):
    # The gateway caps max_tokens by a route's context length (docs/gateway.md, "Length"); the
    # guide named only the default and the points left.
    page = html.unescape(sign_in(browser_client, company).get("/keys/guide/").content.decode())

    assert "上限皆不超過模型上下文長度扣除提示後之 Token 數" in page


def test_the_guide_gives_each_reason_a_401_says(browser_client, company, award):
    """A 401 says whether no key was sent as Bearer, the key is another service's, or it is
    invalid, revoked or expired (``errors``); the guide named the last only."""
    from aipower.gateway import errors

    page = html.unescape(sign_in(browser_client, company).get("/keys/guide/").content.decode())

    for error in (errors.missing_api_key(), errors.foreign_api_key(), errors.invalid_api_key()):
        assert f"<tr><td>401</td><td><code>invalid_api_key</code></td><td>{error.message}" in page


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("zh-hant", ["不提供 Responses API（/v1/responses）", "check_embedding_ctx_length=False"]),
        ("en", ["does not offer the Responses API (/v1/responses)", "sends the text itself"]),
    ],
)
def test_the_guide_says_what_other_tools_must_be_set_to(
    browser_client, company, award, language, words
):
    """Agent frameworks default to the Responses API, which the gateway does not serve, and
    LangChain's OpenAIEmbeddings sends OpenAI's token ids, which a vLLM model reads in its own
    vocabulary and silently embeds wrong: the guide says how to set them."""
    client = sign_in(browser_client, company)
    client.cookies["django_language"] = language

    page = html.unescape(client.get("/keys/guide/").content.decode())

    assert all(word in page for word in words)


def test_the_guide_says_what_an_image_sets_aside(browser_client, company, award, settings):
    settings.GATEWAY_IMAGE_TOKENS = 2048
    page = html.unescape(sign_in(browser_client, company).get("/keys/guide/").content.decode())

    assert "每張圖片（image_url）以 2,048 個 Token 預留" in page
