"""Browser: a page of the application form sent after the sign-in expired is not lost.

山嵐資訊有限公司 fills 企業基本資料表; its sign-in runs out before it presses
「儲存會員資料, 下一步」 (the session cookie is gone, as after eight hours). The login page says
what it sent was kept, and after the card login again the page is saved and the wizard goes on
to the next page.
"""

import pytest
from playwright.sync_api import expect

from aipower.applications.models import Application
from tests.e2e.fixtures_cards import *  # noqa: F403
from tests.e2e.wizard_helpers import (
    PIN,
    PROFILE,
    READERS,
    SHANLAN,
    choose_category,
    expect_step,
    fill_profile,
    read_terms,
    sign_in_with_card,
    start_application,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_profile_sent_after_the_sign_in_expired_is_saved_after_the_next(
    page, live_server, demo_call
):
    sign_in_with_card(page, live_server)
    start_application(page)
    choose_category(page, "模型推論類")
    read_terms(page)
    expect_step(page, live_server, "profile")
    page.context.clear_cookies(name="sessionid")  # eight hours later

    fill_profile(page)

    expect(page).to_have_url(f"{live_server.url}/login/?next=/apply/step/profile/")
    expect(page.get_by_text("您剛才送出的內容已暫存，登入後將回到該頁繼續處理。")).to_be_visible()
    page.get_by_label("可用讀卡機").select_option(label=READERS[SHANLAN["ubn"]])
    page.get_by_label("請輸入PIN碼").fill(PIN)
    page.get_by_role("button", name="登入", exact=True).click()
    expect_step(page, live_server, "declaration")
    expect(page.get_by_text("已接續處理您登入逾時前送出的內容。")).to_be_visible()
    profile = Application.objects.get().data["profile"]
    assert profile["representative"] == PROFILE["representative"]
    assert profile["company_intro"] == PROFILE["company_intro"]


def test_the_profile_sent_with_a_stale_security_token_is_saved(page, live_server, demo_call):
    """Another tab signed in again meanwhile (a sign-in rotates the CSRF token): the page's
    form is sent with the old token, and is saved all the same, not refused with a bare 403."""
    sign_in_with_card(page, live_server)
    start_application(page)
    choose_category(page, "模型推論類")
    read_terms(page)
    expect_step(page, live_server, "profile")
    page.context.add_cookies([{"name": "csrftoken", "value": "a" * 32, "url": live_server.url}])

    fill_profile(page)

    expect_step(page, live_server, "declaration")
    expect(
        page.get_by_text(
            "此頁面的安全驗證已過期（例如您在其他分頁重新登入過），已接續處理您送出的內容。"
        )
    ).to_be_visible()
    profile = Application.objects.get().data["profile"]
    assert profile["representative"] == PROFILE["representative"]
    assert profile["company_intro"] == PROFILE["company_intro"]
