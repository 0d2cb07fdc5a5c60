"""The Content-Security-Policy header on every response."""

import pytest

pytestmark = pytest.mark.integration


def test_every_response_carries_a_strict_csp(client, settings, db):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert settings.CARD_COMPONENT_ORIGIN in policy


def test_pages_open_in_chinese_whatever_the_browser_asks(client, db):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "zh-hant"


def test_pages_follow_the_language_the_user_chose(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert response.headers["Content-Language"] == "en"
