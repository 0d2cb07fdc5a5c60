"""The client's address behind trusted proxies, and its country (offline, iptocc)."""

import pytest

from aipower.gateway.core import client_address, normalise_address, region_blocked

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.2.4.8", "1.2.4.8"),
        (" 1.2.4.8 ", "1.2.4.8"),
        ("1.2.4.8:4431", "1.2.4.8"),
        ("::ffff:1.2.4.8", "1.2.4.8"),
        ("[2001:da8::1]:443", "2001:da8::1"),
        ("2001:da8::1", "2001:da8::1"),
    ],
)
def test_normalise_address_forms(raw, expected):
    assert normalise_address(raw) == expected


def test_forwarded_for_ignored_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address("203.0.113.9", "1.2.4.8") == "203.0.113.9"


def test_forwarded_for_from_trusted_proxies_gives_the_first_untrusted_hop(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.1"]

    # client spoofs a first hop; the edge proxy appends the real client; inner proxies follow
    address = client_address("10.1.2.3", "8.8.8.8, 1.2.4.8, 192.0.2.1")

    assert address == "1.2.4.8"


@pytest.mark.parametrize(
    ("address", "blocked"),
    [
        ("1.2.4.8", True),  # CN
        ("202.45.84.58", True),  # HK
        ("60.246.0.1", True),  # MO
        ("::ffff:223.5.5.5", True),  # CN, IPv4-mapped
        ("2001:da8::1", True),  # CN, IPv6
        ("168.95.1.1", False),  # TW
        ("8.8.8.8", False),  # US
        ("127.0.0.1", False),
        ("not-an-address", False),
    ],
)
def test_region_blocked_for_mainland_hong_kong_macau(address, blocked):
    assert region_blocked(address) is blocked
