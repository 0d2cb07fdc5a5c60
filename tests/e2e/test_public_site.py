"""Browser tests of the public site: home on a desktop and a phone, the navigation, the language
switch and the footer. Screenshots go to /tmp/aipower-home-*.png for a look at the design."""

import datetime
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.accessibility import Accessibility
from tests.public.conftest import (
    INFERENCE_OFFSETS,
    PROGRAMME_PROCESSOR,
    TRAINING_OFFSETS,
    shift_batches,
)

SCREENSHOTS = Path(os.environ.get("AIPOWER_SCREENSHOT_DIR", tempfile.gettempdir()))
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
NAV = [
    ("首頁", "/"),
    ("環境檢測", "/envcheck/"),
    ("活動公告", "/announcements/"),
    ("申請須知", "/guide/"),
    ("網站導覽", "/sitemap/"),
    ("線上申請", "/login/"),
]


@pytest.fixture(autouse=True)
def programme_context(settings):
    templates = [dict(engine, OPTIONS=dict(engine["OPTIONS"])) for engine in settings.TEMPLATES]
    processors = templates[0]["OPTIONS"]["context_processors"]
    if PROGRAMME_PROCESSOR not in processors:
        templates[0]["OPTIONS"]["context_processors"] = [*processors, PROGRAMME_PROCESSOR]
        settings.TEMPLATES = templates


@pytest.fixture
def open_site(live_server, transactional_db, call_115):
    """The live server with the year-115 call open now."""
    now = timezone.now()
    today = timezone.localdate(now)
    call_115.opens_at = now - datetime.timedelta(days=30)
    call_115.closes_at = now + datetime.timedelta(days=100)
    call_115.save()
    shift_batches(call_115.categories.get(kind="training"), TRAINING_OFFSETS, today)
    shift_batches(call_115.categories.get(kind="inference"), INFERENCE_OFFSETS, today)
    return live_server.url


def viewport_page(browser, size, **options):
    context = browser.new_context(
        viewport=size, locale="zh-TW", timezone_id="Asia/Taipei", **options
    )
    context.set_default_timeout(15_000)
    return context.new_page()


def test_home_on_a_desktop(browser, open_site):
    page = viewport_page(browser, DESKTOP)

    page.goto(open_site)

    expect(page.get_by_role("heading", level=1)).to_have_text("擁抱算力未來")
    expect(page.get_by_role("button", name="選單")).to_be_hidden()
    expect(page.get_by_role("navigation", name="主選單")).to_be_visible()
    expect(page.locator("dd.next-batch")).to_have_count(2)
    page.screenshot(path=SCREENSHOTS / "aipower-home-desktop.png", full_page=True)
    page.get_by_role("link", name="即刻申請算力需求").click()
    expect(page).to_have_url(f"{open_site}/login/")
    page.context.close()


def test_home_on_a_phone_collapses_the_menu(browser, open_site):
    page = viewport_page(browser, PHONE)

    page.goto(open_site)
    menu = page.get_by_role("button", name="選單")
    nav = page.get_by_role("navigation", name="主選單")

    expect(menu).to_be_visible()
    expect(nav).to_be_hidden()
    expect(page.get_by_role("link", name="即刻申請算力需求")).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "aipower-home-phone.png", full_page=True)
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    page.screenshot(path=SCREENSHOTS / "aipower-home-phone-menu.png")
    nav.get_by_role("link", name="申請須知").click()
    expect(page).to_have_url(f"{open_site}/guide/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申請須知")
    page.context.close()


def test_phone_menu_stays_open_without_javascript(browser, open_site):
    page = viewport_page(browser, PHONE, java_script_enabled=False)

    page.goto(open_site)

    expect(page.get_by_role("navigation", name="主選單")).to_be_visible()
    expect(page.get_by_role("button", name="選單")).to_be_hidden()
    page.context.close()


def test_nav_opens_every_page_in_order(page, open_site):
    page.goto(open_site)
    nav = page.get_by_role("navigation", name="主選單")

    expect(nav.get_by_role("link")).to_have_text([label for label, _ in NAV])
    for label, path in NAV:
        page.get_by_role("navigation", name="主選單").get_by_role("link", name=label).click()
        expect(page).to_have_url(f"{open_site}{path}")


def test_nav_marks_the_current_page(page, open_site):
    page.goto(f"{open_site}/announcements/")

    current = page.locator('#site-nav a[aria-current="page"]')

    expect(current).to_have_text("活動公告")


def test_language_switch_to_english_and_back(page, open_site):
    page.goto(f"{open_site}/guide/")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{open_site}/guide/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Application guide")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Site map")
    page.goto(open_site)
    expect(page.get_by_role("heading", level=1)).to_have_text("Embrace the future of compute")
    page.screenshot(path=SCREENSHOTS / "aipower-home-english.png", full_page=True)

    page.get_by_role("button", name="繁體中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hant-TW")
    expect(page.get_by_role("heading", level=1)).to_have_text("擁抱算力未來")


def test_footer_shows_the_service_email(page, open_site):
    page.goto(f"{open_site}/sitemap/")

    footer = page.locator("footer.site-footer")

    expect(footer.get_by_role("link", name="aipower.service@twcloud.ai")).to_have_attribute(
        "href", "mailto:aipower.service@twcloud.ai"
    )
    expect(footer).to_contain_text("週一至週五 9:00~18:00")


def test_skip_link_moves_focus_to_the_main_content(page, open_site):
    page.goto(open_site)

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要內容")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main")).to_be_focused()


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_public_pages_login_pages_and_not_found_pass_axe(browser, open_site, language):
    page = viewport_page(browser, DESKTOP, bypass_csp=True)  # axe is injected past the CSP
    page.context.add_cookies([{"name": "django_language", "value": language, "url": open_site}])
    axe = Accessibility()
    for path in [*(path for _, path in NAV), "/results/", "/staff/login/", "/no-such-page/"]:
        page.goto(f"{open_site}{path}")
        axe.check(page, path)
    page.set_viewport_size(PHONE)
    page.goto(open_site)
    page.get_by_role("button", name=re.compile("選單|Menu")).click()
    expect(page.locator("#site-nav")).to_be_visible()
    axe.check(page, "phone, menu open")
    page.context.close()

    assert axe.violations == {}
