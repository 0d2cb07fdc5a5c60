"""Browser: the staff navigation by role — what it lists, the current page, axe-core, and the
small-screen menu (375 px) used from the keyboard."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from playwright.sync_api import expect

from aipower.devtools.staff import create_demo_staff
from tests.e2e.accessibility import Accessibility
from tests.e2e.test_review_batch import staff_page

NAV = {
    "operator": [
        "工作人員首頁",
        "審查梯次",
        "管理設定",
        "稅籍資料與管制名單",
        "算力使用概況",
        "違規紀錄",
        "成果繳交管理",
        "產品化調查",
        "個人資料請求",
        "寄送郵件紀錄",
        "工作人員帳號",
        "稽核紀錄",
    ],
    "reviewer1": ["工作人員首頁", "審查案件"],
}


@pytest.fixture
def demo_staff(transactional_db):
    cache.clear()
    yield create_demo_staff()
    cache.clear()


@pytest.mark.parametrize("username", ["operator", "reviewer1"])
def test_staff_nav_role_sections_pass_axe(browser, live_server, demo_staff, username):
    axe = Accessibility()
    page = staff_page(browser, live_server, username)
    nav = page.get_by_role("navigation", name="工作人員選單")

    expect(nav.get_by_role("link")).to_have_text(NAV[username])
    expect(nav.get_by_role("link", name="工作人員首頁")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("navigation", name="主選單")).to_have_count(0)
    expect(page.get_by_role("link", name="回到公開網站")).to_have_attribute("href", "/")
    axe.check(page, "home")

    nav.get_by_role("link", name=NAV[username][1]).click()
    expect(nav.get_by_role("link", name=NAV[username][1])).to_have_attribute("aria-current", "page")
    axe.check(page, "section")

    assert axe.violations == {}
    page.context.close()


def test_staff_nav_small_screen_menu_by_keyboard(browser, live_server, demo_staff):
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")
    page.set_viewport_size({"width": 375, "height": 800})
    nav = page.get_by_role("navigation", name="工作人員選單")
    toggle = page.get_by_role("button", name="選單")

    expect(nav).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    expect(nav.get_by_role("link", name="工作人員首頁")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe.check(page, "menu open")

    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()

    assert axe.violations == {}
    page.context.close()


# Links the crawls below do not follow: downloads, and leaving the staff pages.
NOT_PAGES = ("csv", "export", "download", "file", "logout")


def staff_links(page):
    return [
        href
        for link in page.locator("main a[href^='/staff/']").all()
        if not any(word in (href := link.get_attribute("href").split("#")[0]) for word in NOT_PAGES)
    ]


@pytest.mark.parametrize("language", ["zh-hant", "en"])
@pytest.mark.parametrize("username", ["operator", "organiser", "reviewer1"])
def test_every_staff_section_and_the_pages_it_links_pass_axe_with_the_demo_data(
    browser, live_server, demo_staff, username, language
):
    """Each section of the role's navigation and each staff page its main content links to
    (the batches, their meetings, the password page …), with the demo data loaded."""
    call_command("load_demo", stdout=StringIO())
    axe = Accessibility()
    page = staff_page(browser, live_server, username)
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    sections = [link.get_attribute("href") for link in page.locator("#site-nav a").all()]
    linked = []
    for path in sections:
        page.goto(f"{live_server.url}{path}")
        axe.check(page, path)
        linked += [href for href in staff_links(page) if href not in sections + linked]
    for path in linked:
        page.goto(f"{live_server.url}{path}")
        axe.check(page, path)

    assert len(sections) > 1 and linked
    assert axe.violations == {}
    page.context.close()
