"""Browser tests: Playwright driving the machine's Chromium (headless) against a live server.

Playwright's sync API runs an event loop in the test thread, so Django's async-safety check
must be relaxed for the test code that touches the database between browser steps.
"""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("AIPOWER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def used_allowance(call_115):
    """An inference award of 12345675 that has used 250,000 tokens (the usage and print tests)."""
    from aipower.calls.enums import CategoryKind
    from aipower.grants import services
    from tests.grants.conftest import make_award

    award = make_award(call_115, "12345675", CategoryKind.INFERENCE)
    allowance = services.open_allowance(award)
    model = award.allowed_models.first()
    services.settle(services.reserve(allowance.pk, 300_000, "r1"), 250_000, "gw:r1", model)
    return allowance
