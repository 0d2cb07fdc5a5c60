"""Browser: the company's most used pages, as a keyboard and screen-reader user meets them.

Each has a title of its own naming the page, one h1, headings that do not skip a level, the
page's language on <html> (zh-Hant-TW, or en in English), a skip link whose Enter puts the
focus on the main content, no sideways scrolling at 320 CSS px (WCAG 1.4.10) and no axe-core
finding at either width.
"""

import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from aipower.accounts.models import Company, User
from tests.e2e.accessibility import Accessibility

pytestmark = pytest.mark.django_db(transaction=True)

HEADING_LEVELS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter(h => h.getClientRects().length)
  .map(h => Number(h.tagName[1]))"""


@pytest.mark.parametrize(("language", "lang"), [("zh-hant", "zh-Hant-TW"), ("en", "en")])
def test_company_pages_titles_headings_language_skip_link_and_reflow(
    browser, live_server, used_allowance, language, lang
):
    # axe is injected with page.evaluate; bypass_csp keeps that independent of the strict CSP.
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    axe = Accessibility()
    user = User.objects.create_user(username="c", role="company", company=used_allowance.company)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    titles = {}
    for path in ("/apply/dashboard/", "/keys/", "/usage/", f"/usage/{used_allowance.pk}/"):
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(f"{live_server.url}{path}")
        titles[path] = page.title()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        levels = page.evaluate(HEADING_LEVELS)
        assert levels.count(1) == 1 and levels[0] == 1, (path, levels)
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), (path, levels)

        page.keyboard.press("Tab")
        expect(page.locator(".skip-link")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        axe.check(page, f"{path} at 1280 px")

        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
        axe.check(page, f"{path} at 320 px")

    context.close()
    assert len(set(titles.values())) == len(titles), titles
    assert axe.violations == {}


# Links the crawl below does not follow: downloads, and leaving the company's pages.
NOT_PAGES = ("csv", "export", "download", "file", "pdf", "/staff", "/logout", "/i18n")


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("ubn", ["52880483", "48552728"])
def test_demo_companies_pages_and_the_pages_they_link_pass_axe(browser, live_server, ubn, language):
    """山嵐資訊 (an inference award in use) and 北港軟體 (an ended training award with its
    survey open), with the demo data: their company pages and the pages those link to."""
    call_command("load_demo", stdout=StringIO())
    user = User.objects.create_user(
        username=f"c-{ubn}", role="company", company=Company.objects.get(ubn=ubn)
    )
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    # axe is injected with page.evaluate; bypass_csp keeps that independent of the strict CSP.
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    axe = Accessibility()
    paths = ["/company/", "/apply/dashboard/", "/keys/", "/usage/", "/deliverables/"]
    for path in paths:  # grows as pages link to others
        page.goto(f"{live_server.url}{path}")
        axe.check(page, path)
        for link in page.locator("main a[href^='/']").all():
            href = link.get_attribute("href").split("#")[0]
            if href not in paths and not any(word in href for word in NOT_PAGES):
                paths.append(href)
    context.close()

    assert "/privacy/" in paths and len(paths) > 8
    assert axe.violations == {}
