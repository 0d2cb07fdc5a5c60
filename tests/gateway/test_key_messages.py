"""What a 401 says: a request that carries no key in ``Authorization: Bearer …`` (curl without
``Bearer``, a tool sending it in another header) or carries another service's key (an
``OPENAI_API_KEY`` left in the environment) is told so, instead of being told that its key is
invalid, revoked or expired — the company's key page shows that key as 有效."""

import httpx
import openai
import pytest

from aipower.gateway.models import ApiKey

pytestmark = pytest.mark.integration

MESSAGES = [{"role": "user", "content": "hello there"}]


def refusal(gateway_url, headers, language="zh-Hant"):
    response = httpx.post(
        f"{gateway_url}/chat/completions",
        headers={**headers, "Accept-Language": language},
        json={"model": "any", "messages": MESSAGES},
    )
    assert response.status_code == 401
    assert response.headers["x-request-id"]
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (
        "invalid_request_error",
        "invalid_api_key",
        None,
    )
    return error["message"]


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "{key}"}, {"api-key": "{key}"}, {"Authorization": "Basic {key}"}],
)
def test_a_key_not_sent_as_bearer_is_told_how_to_send_it(gateway_url, api_key, headers):
    headers = {name: value.format(key=api_key) for name, value in headers.items()}

    message = refusal(gateway_url, headers)

    assert message == "未收到 API 金鑰：請以標頭 Authorization: Bearer <API 金鑰> 傳送。"


def test_another_services_key_is_told_it_is_not_this_platforms(gateway_url, award, model_id):
    client = openai.OpenAI(base_url=gateway_url, api_key="sk-proj-abc123", max_retries=0)

    with pytest.raises(openai.AuthenticationError) as excinfo:
        client.chat.completions.create(model=model_id, messages=MESSAGES)

    assert excinfo.value.code == "invalid_api_key"
    assert "sk-aipower-" in excinfo.value.message
    assert "sk-proj-abc123" not in excinfo.value.message
    with pytest.raises(openai.AuthenticationError) as listing:
        client.models.list()
    assert "sk-aipower-" in listing.value.message


def test_an_unknown_or_revoked_key_is_still_invalid_revoked_or_expired(
    gateway_url, api_key, model_id
):
    from aipower.gateway.services import revoke_key

    unknown = refusal(gateway_url, {"Authorization": "Bearer sk-aipower-wrong"})
    revoke_key(ApiKey.objects.get())
    revoked = refusal(gateway_url, {"Authorization": f"Bearer {api_key}"})

    assert unknown == revoked == "API 金鑰無效、已撤銷或已到期。"


def test_the_messages_in_english():
    from django.utils import translation

    from aipower.gateway import errors

    with translation.override("en"):
        assert errors.missing_api_key().message == (
            "No API key was sent: send it in the header Authorization: Bearer <API key>."
        )
        assert errors.foreign_api_key().message == (
            "This is not an API key of this platform: its keys begin with sk-aipower-."
        )
