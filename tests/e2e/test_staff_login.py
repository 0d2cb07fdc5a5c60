"""Browser: the demo operator signs in with the code an authenticator app would show."""

from base64 import b32decode

import pytest
from django.core.cache import cache
from django_otp.oath import totp

from aipower.devtools.staff import DEMO_PASSWORD, DEMO_TOTP_SECRET, create_demo_staff


@pytest.fixture
def demo_staff(transactional_db):
    cache.clear()
    yield create_demo_staff()
    cache.clear()


def authenticator_code():
    return f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}"


def fill_login(page, live_server, code, password=DEMO_PASSWORD):
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("帳號", exact=True).fill("operator")
    page.get_by_label("密碼", exact=True).fill(password)
    page.get_by_label("驗證碼（TOTP）").fill(code)
    page.get_by_role("button", name="登入").click()


def test_operator_signs_in_with_the_authenticator_code(page, live_server, demo_staff):
    fill_login(page, live_server, authenticator_code())

    page.wait_for_url(f"{live_server.url}/staff/")
    assert page.get_by_role("heading", name="工作人員首頁").is_visible()
    assert page.get_by_text("您好，示範執行單位（執行單位）。").is_visible()
    assert page.get_by_role("main").get_by_role("link", name="管理設定", exact=True).is_visible()

    page.locator("#staff-logout").click()
    page.wait_for_url(f"{live_server.url}/staff/login/")
    assert page.get_by_text("您已登出。").is_visible()


def test_wrong_code_is_refused_with_the_error_shown(page, live_server, demo_staff):
    right = authenticator_code()
    wrong = "000000" if right != "000000" else "111111"

    fill_login(page, live_server, wrong)

    page.wait_for_url(f"{live_server.url}/staff/login/")
    assert page.get_by_text("帳號、密碼或驗證碼錯誤").is_visible()
    assert page.get_by_label("帳號", exact=True).input_value() == "operator"
    assert page.get_by_label("驗證碼（TOTP）").input_value() == ""
