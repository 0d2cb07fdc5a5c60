"""The client's address behind the trusted proxies, for the whole site (core.net)."""

import pytest
from django.core import checks
from django.test import RequestFactory

from aipower.core.checks import trusted_proxies
from aipower.core.net import ClientAddressMiddleware

pytestmark = pytest.mark.unit


def _address_seen(remote_addr, forwarded_for=None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    if forwarded_for is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return ClientAddressMiddleware(lambda request: request.META["REMOTE_ADDR"])(request)


def test_middleware_takes_the_forwarded_client_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert _address_seen("10.0.0.1", "1.2.4.8, 10.0.0.9") == "1.2.4.8"


def test_middleware_ignores_forwarded_for_from_anyone_else(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert _address_seen("203.0.113.9", "1.2.4.8") == "203.0.113.9"


def test_middleware_keeps_the_peer_without_a_forwarded_header(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert _address_seen("10.0.0.1") == "10.0.0.1"


def test_deploy_check_warns_when_no_proxy_is_named(settings):
    settings.TRUSTED_PROXIES = []

    (warning,) = trusted_proxies(None)
    settings.TRUSTED_PROXIES = ["127.0.0.1"]

    assert (warning.level, warning.id) == (checks.WARNING, "aipower.W001")
    assert trusted_proxies(None) == []
