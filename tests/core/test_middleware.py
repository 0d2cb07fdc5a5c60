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
