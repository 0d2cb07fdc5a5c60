"""Browser: the warning before an idle sign-out, 「繼續使用」, and the signed-out notice.

The page's timers run on Playwright's clock (moved forward, not waited for); the server's idea
of the last use is moved back in the session where the test needs the server to see idleness.
"""

import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from playwright.sync_api import expect

from aipower.accounts import idle
from aipower.accounts.models import Company, User

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def signed_in(page, live_server, settings):
    settings.IDLE_SIGN_OUT_SECONDS = {"staff": 1800, "company": 600}
    settings.IDLE_WARNING_SECONDS = 120
    company = Company.objects.create(ubn="04595257", name="示範智能股份有限公司")
    user = User.objects.create_user("company-04595257", role="company", company=company)
    client = Client()
    client.force_login(user)
    key = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": key, "url": live_server.url}])
    page.clock.install()
    page.goto(f"{live_server.url}/company/")
    return key


def idle_since(key, seconds_ago):
    session = SessionStore(session_key=key)
    session[idle.LAST_SEEN] = time.time() - seconds_ago
    session.save()


def test_the_warning_comes_before_the_end_and_stay_signed_in_keeps_the_sign_in(page, signed_in):
    warning = page.locator("#idle-warning")
    expect(warning).to_be_hidden()

    idle_since(signed_in, 500)
    page.clock.fast_forward("08:01")  # 10 minutes less the 2-minute warning

    expect(warning).to_be_visible()
    expect(warning).to_contain_text("將於 2 分鐘內自動登出")
    page.get_by_role("button", name="繼續使用").click()
    expect(warning).to_be_hidden()
    assert time.time() - SessionStore(session_key=signed_in)[idle.LAST_SEEN] < 10


def test_a_tab_does_not_warn_while_another_tab_is_in_use(page, signed_in):
    page.clock.fast_forward("08:01")  # the server saw use just now (the page load)

    expect(page.locator("#idle-warning")).to_be_hidden()


def test_at_the_end_the_page_says_it_was_signed_out_and_keeps_what_was_typed(page, signed_in):
    idle_since(signed_in, 601)
    page.evaluate("window.notReloaded = true")
    page.clock.fast_forward("08:01")
    expect(page.locator("#idle-warning")).to_be_visible()
    page.clock.fast_forward("02:00")

    expect(page.get_by_text("您已因閒置過久而自動登出。")).to_be_visible()
    expect(page.get_by_role("button", name="繼續使用")).to_be_hidden()
    assert page.evaluate("window.notReloaded") is True  # what a form held is still there
    assert "_auth_user_id" not in SessionStore(session_key=signed_in).load()


def test_the_shown_warning_passes_axe(browser, live_server, signed_in):
    from tests.e2e.accessibility import Accessibility

    # axe is injected with page.evaluate: a context that lets it past the strict CSP.
    context = browser.new_context(bypass_csp=True)
    context.add_cookies([{"name": "sessionid", "value": signed_in, "url": live_server.url}])
    page = context.new_page()
    page.clock.install()
    page.goto(f"{live_server.url}/company/")
    idle_since(signed_in, 500)
    page.clock.fast_forward("08:01")
    expect(page.locator("#idle-warning")).to_be_visible()

    axe = Accessibility()
    axe.check(page, "company page with the idle warning")
    context.close()

    assert axe.violations == {}
