"""Browser: a newcomer checks the environment and signs in with the development card."""

import json

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from aipower.accounts.models import Company
from aipower.core.models import AuditEntry
from aipower.devtools.demo import shift_call_to_now
from tests.e2e.fixtures_cards import *  # noqa: F403

pytestmark = pytest.mark.django_db(transaction=True)

READER_1 = "AI Power 開發用讀卡機 1（晴空智能股份有限公司 84700087） 卡號:[MT00000084700087]"


def signed_in_sessions():
    return [
        session for session in Session.objects.all() if "_auth_user_id" in session.get_decoded()
    ]


def test_newcomer_checks_environment_and_signs_in_with_the_card(
    page, live_server, card_component, call_115
):
    shift_call_to_now(call_115)
    page.goto(f"{live_server.url}/")

    page.get_by_role("link", name="即刻申請算力需求").click()
    expect(page).to_have_url(f"{live_server.url}/login/")
    page.get_by_role("link", name="遇到問題？請進行 環境檢測").click()
    expect(page.locator("#envcheck-summary")).to_have_text("請按「檢測 IC 卡讀卡機元件」開始檢測。")
    page.get_by_role("button", name="檢測 IC 卡讀卡機元件").click()
    expect(page.locator("#envcheck-summary")).to_have_text(
        "檢測完成：偵測到 5 台讀卡機、5 張憑證 IC 卡。"
    )
    expect(page.locator("#envcheck-readers li").first).to_have_text(READER_1)
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_label("可用讀卡機").locator("option")).to_have_count(5)
    page.get_by_label("可用讀卡機").select_option(label=READER_1)
    page.get_by_label("請輸入PIN碼").fill("123456")
    with page.expect_popup() as popup:
        page.get_by_role("button", name="登入", exact=True).click()

    page.wait_for_url(f"{live_server.url}/company/")
    expect(page.get_by_role("heading", name="公司資訊", level=1)).to_be_visible()
    expect(page.get_by_text("請確認登入公司資訊是否正確？")).to_be_visible()
    expect(page.locator("#company-name")).to_have_text("晴空智能股份有限公司")
    expect(page.locator("#company-ubn")).to_have_text("84700087")
    expect(page.get_by_role("link", name="我要申請")).to_have_attribute("href", "/apply/")
    assert popup.value.is_closed()
    assert Company.objects.get(ubn="84700087").name == "晴空智能股份有限公司"


def test_card_login_signs_in_a_chosen_other_company(page, live_server, card_component):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("可用讀卡機").select_option(
        label="AI Power 開發用讀卡機 2（山嵐資訊有限公司 52880483） 卡號:[MT00000052880483]"
    )
    page.get_by_label("請輸入PIN碼").fill("123456")
    page.get_by_role("button", name="登入", exact=True).click()

    page.wait_for_url(f"{live_server.url}/company/")
    expect(page.locator("#company-name")).to_have_text("山嵐資訊有限公司")
    expect(page.locator("#company-ubn")).to_have_text("52880483")


def test_wrong_pin_shows_the_error_and_creates_no_session(page, live_server, card_component):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("可用讀卡機").select_option(label=READER_1)
    page.get_by_label("請輸入PIN碼").fill("000000")

    page.get_by_role("button", name="登入", exact=True).click()

    expect(page.locator("#card-login-error")).to_have_text(
        "PIN碼錯誤，請重新輸入。連續輸錯多次將鎖住憑證卡。"
    )
    expect(page).to_have_url(f"{live_server.url}/login/")
    expect(page.get_by_label("請輸入PIN碼")).to_have_value("")
    assert signed_in_sessions() == []
    assert not Company.objects.exists()
    assert [
        entry.data["code"] for entry in AuditEntry.objects.filter(action="card-login.failed")
    ] == ["wrong_pin"]


def test_missing_pin_is_asked_for_before_anything_is_sent(page, live_server, card_component):
    page.goto(f"{live_server.url}/login/")
    expect(page.get_by_label("可用讀卡機").locator("option")).to_have_count(5)

    page.get_by_role("button", name="登入", exact=True).click()

    expect(page.locator("#card-login-error")).to_have_text("請輸入PIN碼。")
    assert not AuditEntry.objects.exists()


def test_login_page_says_when_the_component_is_missing(page, live_server, missing_card_component):
    page.goto(f"{live_server.url}/login/")

    expect(page.locator("#card-login-error")).to_have_text(
        "無法連線跨平台網頁讀卡元件，請確認已安裝並啟動 HiCOS 卡片管理工具，或進行環境檢測。"
    )


def _component_answers(page, origin, slots):
    """The card component's reader list, as a component with ``slots`` would answer it."""
    body = json.dumps({"func": "pkcs11info", "ret_code": 0, "last_error": 0, "slots": slots})
    page.route(
        f"{origin}/pkcs11info*",
        lambda route: route.fulfill(
            status=200,
            body=body,
            headers={"Access-Control-Allow-Origin": "*", "Content-Type": "application/json"},
        ),
    )


def test_login_page_says_when_no_reader_is_connected(page, live_server, card_component):
    _component_answers(page, card_component.origin, [])

    page.goto(f"{live_server.url}/login/")

    expect(page.locator("#card-reader-status")).to_have_text("偵測到 0 台讀卡機、0 張憑證 IC 卡。")
    expect(page.locator("#card-login-error")).to_have_text(
        "未偵測到讀卡機，請將讀卡機連接電腦後，按「重新整理」。"
    )


def test_login_page_says_when_the_reader_holds_no_card(page, live_server, card_component):
    _component_answers(page, card_component.origin, [{"slotDescription": "ACS CCID USB Reader 0"}])

    page.goto(f"{live_server.url}/login/")

    expect(page.locator("#card-reader")).to_contain_text("ACS CCID USB Reader 0 (未插卡)")
    expect(page.locator("#card-login-error")).to_have_text(
        "讀卡機中沒有憑證IC卡，請插入工商憑證卡後，按「重新整理」。"
    )


def test_login_page_says_no_reader_in_english(page, live_server, card_component):
    _component_answers(page, card_component.origin, [])
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])

    page.goto(f"{live_server.url}/login/")

    expect(page.locator("#card-login-error")).to_have_text(
        'No card reader was found. Connect the card reader to your computer, then press "Refresh".'
    )


def test_reader_list_keeps_the_cards_signing_certificate(page, live_server, card_component):
    # A business-certificate card lists its CA's and its encryption certificate too; the
    # signing one is what the server must get when the component's answer names none.
    page.goto(f"{live_server.url}/login/")
    info = {
        "slots": [
            {
                "slotDescription": "ACS CCID USB Reader 0",
                "token": {
                    "serialNumber": "MT00000002624926",
                    "certs": [
                        {"certb64": "CA", "usage": "keyCertSign|cRLSign"},
                        {"certb64": "ENC", "usage": "keyEncipherment|dataEncipherment"},
                        {"certb64": "SIGN", "usage": "digitalSignature"},
                    ],
                },
            }
        ]
    }

    readers = page.evaluate("info => window.AipowerHicos.readers(info)", info)

    assert readers == [
        {
            "slotDescription": "ACS CCID USB Reader 0",
            "serialNumber": "MT00000002624926",
            "certb64": "SIGN",
        }
    ]
