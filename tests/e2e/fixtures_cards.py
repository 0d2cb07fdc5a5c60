"""Browser-test fixtures for card login: the development card component on a free loopback port.

Import them into a test module with ``from tests.e2e.fixtures_cards import *`` (a non-root
conftest may not declare ``pytest_plugins``).

- ``dev_card_component`` (session): the demo cards issued into the test settings' ``DEVCA_DIR``
  and a running ``CardComponent`` on 127.0.0.1 with a port the OS picked.
- ``card_component``: the same, with ``settings.CARD_COMPONENT_ORIGIN`` pointing at it for the
  live server (the CSP and the pages read the setting per response).
- ``missing_card_component``: ``CARD_COMPONENT_ORIGIN`` pointing at a loopback port nothing
  listens on, as on a computer without HiCOS.
"""

import socket

import pytest

__all__ = ["card_component", "demo_call", "dev_card_component", "missing_card_component"]


@pytest.fixture(scope="session")
def dev_card_component():
    from aipower.devtools.cardcomponent import CardComponent
    from aipower.devtools.cards import issue_demo_cards

    issue_demo_cards()
    component = CardComponent("127.0.0.1", 0).start()
    yield component
    component.stop()


@pytest.fixture
def card_component(dev_card_component, settings):
    settings.CARD_COMPONENT_ORIGIN = dev_card_component.origin
    return dev_card_component


@pytest.fixture
def missing_card_component(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # The socket is closed again: nothing listens there.
    settings.CARD_COMPONENT_ORIGIN = f"http://127.0.0.1:{port}"
    return settings.CARD_COMPONENT_ORIGIN


@pytest.fixture
def demo_call(call_115, card_component):
    """The year-115 call open now, with the demo registry and the card component: the wizard's
    browser tests start here."""
    from aipower.devtools.demo import shift_call_to_now
    from aipower.registry.services import import_demo_registry

    shift_call_to_now(call_115)
    import_demo_registry()
    return call_115
