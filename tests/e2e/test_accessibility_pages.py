"""Browser: the company's most used pages, as a keyboard and screen-reader user meets them.

Each has a title of its own naming the page, one h1, headings that do not skip a level, the
page's language on <html> (zh-Hant-TW, or en in English), a skip link whose Enter puts the
focus on the main content, and no sideways scrolling at 320 CSS px (WCAG 1.4.10).
"""

import itertools

import pytest
from django.test import Client
from playwright.sync_api import expect

from aipower.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)

HEADING_LEVELS = """() => [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
  .filter(h => h.getClientRects().length)
  .map(h => Number(h.tagName[1]))"""


@pytest.mark.parametrize(("language", "lang"), [("zh-hant", "zh-Hant-TW"), ("en", "en")])
def test_company_pages_titles_headings_language_skip_link_and_reflow(
    page, live_server, used_allowance, language, lang
):
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

        page.set_viewport_size({"width": 320, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path

    assert len(set(titles.values())) == len(titles), titles
