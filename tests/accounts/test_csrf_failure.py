"""A form sent with a stale CSRF token (``accounts.views.csrf``): what was typed is not lost."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from aipower.devtools import cards

from .test_resume import NAME, PLAN, UBN, card_login

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.urls("tests.accounts.resume_urls"),
]

OWN = {"HTTP_ORIGIN": "http://testserver"}


@pytest.fixture
def stale():
    """A signed-in browser holding a page's token from before it signed in again in
    another tab (each sign-in rotates the token)."""
    card = cards.issue_card(UBN, NAME)
    client = Client(enforce_csrf_checks=True)
    card_login(client, card)
    client.get("/resume-test/")
    token = client.cookies["csrftoken"].value
    card_login(client, card)
    return client, token


def test_a_resumable_form_with_a_stale_token_is_handled_on_its_page(stale):
    client, token = stale

    sent = client.post("/resume-test/", {"plan": PLAN, "csrfmiddlewaretoken": token}, **OWN)
    handled = client.get(sent["Location"])

    assert sent.status_code == 302
    assert sent["Location"] == "/resume-test/"
    assert handled.content.decode() == f"POST plan={PLAN} by {UBN}"
    assert [str(m) for m in get_messages(handled.wsgi_request)] == [
        "此頁面的安全驗證已過期（例如您在其他分頁重新登入過），已接續處理您送出的內容。"
    ]
    assert client.get("/resume-test/").content.decode() == f"GET by {UBN}"  # handled once


def test_another_form_with_a_stale_token_shows_what_was_typed_and_sends_it_again(stale):
    client, token = stale

    page = client.post(
        "/plain-test/",
        {"reason": "已電話確認<負責人>", "csrfmiddlewaretoken": token},
        HTTP_REFERER="http://testserver/plain-test/",
        **OWN,
    )
    body = page.content.decode()

    assert page.status_code == 403
    assert "頁面已逾時" in body
    assert "<pre>已電話確認&lt;負責人&gt;</pre>" in body
    assert '<input type="hidden" name="reason" value="已電話確認&lt;負責人&gt;">' in body
    assert 'href="http://testserver/plain-test/"' in body
    fresh = client.cookies["csrftoken"].value
    again = client.post("/plain-test/", {"reason": "x", "csrfmiddlewaretoken": fresh})
    assert again.content.decode() == "POST"


def test_a_stale_form_with_a_password_is_not_offered_again(stale):
    client, token = stale

    page = client.post(
        "/plain-test/",
        {"username": "operator", "password": "aipower-demo", "csrfmiddlewaretoken": token},
        **OWN,
    )
    body = page.content.decode()

    assert page.status_code == 403
    assert "aipower-demo" not in body
    assert "重新送出" not in body
    assert "密碼或驗證碼不會保留" in body


def test_a_form_from_another_site_is_refused_without_echoing_it(stale):
    client, _token = stale

    page = client.post("/resume-test/", {"plan": "惡意內容"}, HTTP_ORIGIN="https://evil.example")
    body = page.content.decode()

    assert page.status_code == 403
    assert "頁面已逾時" in body
    assert "惡意內容" not in body
    assert "重新送出" not in body
    assert client.get("/resume-test/").content.decode() == f"GET by {UBN}"


def test_the_card_login_with_a_stale_token_gets_a_message_its_script_shows(stale):
    """The login page's script posts JSON; for the HTML 403 it said
    「無法連線到伺服器，請稍後再試。」."""
    client, token = stale

    answer = client.post(
        "/login/challenge/", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert answer.status_code == 403
    assert answer.json() == {"ok": False, "message": "此頁面已逾時，請重新整理頁面後再試一次。"}
