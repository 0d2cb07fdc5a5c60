"""Browser: the operator creates a reviewer's account; the reviewer sets their password and
authenticator on the mailed link and signs in (axe-core on the pages on the way)."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django.core.cache import cache
from django_otp.oath import totp
from playwright.sync_api import expect

from aipower.devtools.staff import create_demo_staff
from tests.e2e.accessibility import Accessibility
from tests.e2e.test_review_batch import staff_page

NEW_PASSWORD = "violet umbrella cactus 42"


@pytest.fixture
def demo_staff(transactional_db):
    cache.clear()
    yield create_demo_staff()
    cache.clear()


def test_new_reviewer_enrols_on_the_mailed_link_and_signs_in(browser, live_server, demo_staff):
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")
    page.goto(f"{live_server.url}/staff/accounts/")
    axe.check(page, "accounts")

    page.get_by_role("button", name="新增並寄出設定連結").click()
    expect(page.get_by_role("alert").filter(has_text="請修正下列欄位")).to_be_visible()
    axe.check(page, "accounts with errors")
    page.get_by_label("帳號", exact=True).fill("newreviewer")
    page.get_by_label("姓名").fill("林委員")
    page.get_by_label("電子郵件").fill("lin@example.org")
    page.get_by_label("角色").last.select_option("reviewer")
    page.get_by_role("button", name="新增並寄出設定連結").click()
    expect(page.get_by_text("設定連結已寄至 lin@example.org")).to_be_visible()
    expect(page.locator("#staff-table")).to_contain_text("待本人設定")
    page.context.close()

    link = re.search(r"https?://\S+/staff/enrol/\S+/", mail.outbox[-1].body).group(0)
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    member = context.new_page()
    member.goto(link)
    expect(member.locator("#totp-qr svg")).to_be_visible()
    axe.check(member, "enrol")
    secret = member.locator("#totp-secret").inner_text().replace(" ", "")
    member.get_by_label("新密碼", exact=True).fill(NEW_PASSWORD)
    member.get_by_label("再次輸入新密碼").fill(NEW_PASSWORD)
    member.get_by_label("驗證碼（TOTP）").fill(f"{totp(b32decode(secret)):06d}")
    member.get_by_role("button", name="完成設定").click()

    member.wait_for_url(f"{live_server.url}/staff/login/")
    expect(member.get_by_text("設定完成，請以新密碼及驗證碼登入。")).to_be_visible()
    member.get_by_label("帳號", exact=True).fill("newreviewer")
    member.get_by_label("密碼", exact=True).fill(NEW_PASSWORD)
    member.get_by_label("驗證碼（TOTP）").fill(f"{totp(b32decode(secret), drift=1):06d}")
    member.get_by_role("button", name="登入").click()
    member.wait_for_url(f"{live_server.url}/staff/")
    expect(member.get_by_text("您好，林委員（審查委員）。")).to_be_visible()
    assert axe.violations == {}
    context.close()
