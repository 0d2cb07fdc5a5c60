"""Browser: the operator sends /staff/privacy/new/ with errors; the page comes back with an
error summary at the top of the form, the focus on it (privacy/js/form.js, under the strict
CSP), and a link of the summary takes the focus to its field. The page with errors has no
accessibility violations; the required fields keep their labels as accessible names."""

from base64 import b32decode

import pytest
from django.core.cache import cache
from django_otp.oath import totp
from playwright.sync_api import expect

from aipower.devtools.staff import DEMO_PASSWORD, DEMO_TOTP_SECRET, create_demo_staff
from tests.e2e.accessibility import Accessibility
from tests.e2e.test_review_batch import staff_page
from tests.privacy.conftest import make_application, make_company

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(call_115):
    cache.clear()
    create_demo_staff()
    company, _user = make_company("04595257", "示範智能股份有限公司")
    make_application(call_115, company)
    yield
    cache.clear()


def sign_in_operator(page, live_server):
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("帳號", exact=True).fill("operator")
    page.get_by_label("密碼", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("驗證碼（TOTP）").fill(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
    page.get_by_role("button", name="登入").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def active_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_invalid_submit_focuses_the_error_summary_and_its_links_reach_the_fields(
    page, browser, live_server, scene
):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    sign_in_operator(page, live_server)
    page.goto(f"{live_server.url}/staff/privacy/new/")
    assert page.locator("#error-summary").count() == 0

    page.get_by_label("申請企業", exact=True).fill("12345675")
    page.get_by_role("button", name="登錄請求").click()

    summary = page.get_by_role("alert").filter(has_text="請修正下列欄位：")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "申請企業",
            "請求事項",
            "當事人身分",
            "當事人姓名",
            "當事人電子信箱",
            "收件方式",
            "身分查驗說明",
        ]
    )
    summary.get_by_role("link", name="身分查驗說明").click()
    expect(page.get_by_role("textbox", name="身分查驗說明", exact=True)).to_be_focused()
    assert active_id(page) == "id_identity_check"
    expect(page.get_by_label("申請企業", exact=True)).to_have_value("12345675")
    assert csp_errors == []


def test_page_with_errors_has_no_accessibility_violations(browser, live_server, scene):
    axe = Accessibility()
    checked = staff_page(browser, live_server, "operator")
    checked.goto(f"{live_server.url}/staff/privacy/new/")
    axe.check(checked, "record form")

    checked.get_by_role("button", name="登錄請求").click()
    expect(checked.locator("#error-summary")).to_be_focused()
    axe.check(checked, "record form with errors")

    assert axe.violations == {}
