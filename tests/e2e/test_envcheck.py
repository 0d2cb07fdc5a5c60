"""Browser: 環境檢測 with and without the card component, and a wrong clock."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.e2e.fixtures_cards import *  # noqa: F403

pytestmark = pytest.mark.django_db(transaction=True)


def test_envcheck_reports_component_readers_and_cards(page, live_server, card_component):
    page.goto(f"{live_server.url}/envcheck/")
    expect(page.locator("#envcheck-cookie")).to_have_text("YES")
    expect(page.locator("#envcheck-browser")).to_contain_text("Chrome")
    expect(page.locator("#envcheck-time")).to_have_attribute("data-status", "ok")

    page.get_by_role("button", name="檢測 IC 卡讀卡機元件").click()

    expect(page.locator("#envcheck-summary")).to_have_text(
        "檢測完成：偵測到 5 台讀卡機、5 張憑證 IC 卡。"
    )
    # As the programme document shows it: 「2.3.4 / 服務 1.3.4.103350」.
    expect(page.locator("#envcheck-component")).to_have_text("1.3.4-dev / 服務 1.0.0-dev")
    expect(page.get_by_role("link", name="下載並安裝新版HiCOS卡片管理工具")).to_be_hidden()
    expect(page.locator("#envcheck-readers li")).to_have_text(
        [
            "AI Power 開發用讀卡機 1（晴空智能股份有限公司 84700087） 卡號:[MT00000084700087]",
            "AI Power 開發用讀卡機 2（山嵐資訊有限公司 52880483） 卡號:[MT00000052880483]",
            "AI Power 開發用讀卡機 3（北港軟體股份有限公司 48552728） 卡號:[MT00000048552728]",
            "AI Power 開發用讀卡機 4（北港軟體股份有限公司台中分公司 75888073）"
            " 卡號:[MT00000075888073]",
            "AI Power 開發用讀卡機 5（木棉精密工業股份有限公司 96865468） 卡號:[MT00000096865468]",
        ]
    )


def test_envcheck_offers_the_download_when_the_component_is_missing(
    page, live_server, missing_card_component
):
    page.goto(f"{live_server.url}/envcheck/")

    page.get_by_role("button", name="檢測 IC 卡讀卡機元件").click()

    expect(page.locator("#envcheck-component")).to_have_text("未偵測到跨平台網頁讀卡元件。")
    expect(page.get_by_role("link", name="下載並安裝新版HiCOS卡片管理工具")).to_have_attribute(
        "href", "https://moica.nat.gov.tw/download_1.html"
    )
    expect(page.locator("#envcheck-summary")).to_have_text(
        "檢測完成：偵測到 0 台讀卡機、0 張憑證 IC 卡。"
    )


def test_envcheck_warns_when_the_clock_is_off(page, live_server):
    page.clock.install(time=dt.datetime.now(dt.UTC) + dt.timedelta(minutes=12))

    page.goto(f"{live_server.url}/envcheck/")

    expect(page.locator("#envcheck-time-warning")).to_have_text(
        "您電腦的時間與伺服器相差約 12 分鐘，請校正系統時間（簽章與申請期限都以時間判斷）。"
    )


def test_envcheck_offers_the_download_when_the_component_is_outdated(
    page, live_server, card_component, settings
):
    settings.CARD_COMPONENT_MIN_VERSION = "1.10"

    page.goto(f"{live_server.url}/envcheck/")
    page.get_by_role("button", name="檢測 IC 卡讀卡機元件").click()

    expect(page.locator("#envcheck-component")).to_have_text(
        "元件版本 1.3.4-dev 過舊（最低需求 1.10），請下載並安裝新版。"
    )
    expect(page.locator("#envcheck-component")).to_have_attribute("data-status", "outdated")
    expect(page.get_by_role("link", name="下載並安裝新版HiCOS卡片管理工具")).to_be_visible()


def test_envcheck_shows_the_computers_clock_in_roc_form(page, live_server):
    page.clock.install(time=dt.datetime(2026, 11, 28, 5, 37, 15, tzinfo=dt.UTC))

    page.goto(f"{live_server.url}/envcheck/")

    expect(page.locator("#envcheck-time")).to_contain_text("115年11月28日 13:37:15")


def test_envcheck_shows_the_computers_clock_as_iso_in_english(page, live_server):
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.clock.install(time=dt.datetime(2026, 11, 28, 5, 37, 15, tzinfo=dt.UTC))

    page.goto(f"{live_server.url}/envcheck/")

    expect(page.locator("#envcheck-time")).to_contain_text("2026-11-28 13:37:15")
