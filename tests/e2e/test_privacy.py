"""Browser: a company follows the dashboard's link to its personal-data page, files a
補充或更正 request for its project contact (after an error shown by the field, the text kept),
under the strict CSP; the operator starts it, corrects the contact's mobile number and completes
it; the requester is mailed and the company sees 已完成 and the corrected number. The pages have
no accessibility violations. The operator records a request a data subject made by
phone on their behalf (after an unknown 統一編號 shown by the field, the rest kept) and finds it on
the staff list, its channel and identity check on its page, and on the company's list."""

from base64 import b32decode

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from playwright.sync_api import expect

from aipower.applications.models import SentMail
from aipower.core.models import AuditEntry
from aipower.devtools.staff import DEMO_PASSWORD, DEMO_TOTP_SECRET, create_demo_staff
from aipower.privacy.models import DataRequest
from tests.e2e.accessibility import Accessibility
from tests.e2e.test_review_batch import staff_page
from tests.privacy.conftest import make_application, make_company

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(call_115):
    cache.clear()
    create_demo_staff()
    company, user = make_company("04595257", "示範智能股份有限公司")
    application = make_application(call_115, company)
    yield {"company": company, "user": user, "application": application}
    cache.clear()


def _watch_csp(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_company_files_correction_and_operator_completes_it(page, browser, live_server, scene):
    axe = Accessibility()
    csp_errors = _watch_csp(page)
    _sign_in(page, live_server, scene["user"])

    page.goto(f"{live_server.url}/apply/dashboard/")
    page.get_by_role("link", name="個人資料查詢及請求").click()
    expect(page.locator("#held")).to_contain_text("0912345678")
    axe.check(page, "company page")
    page.get_by_label("補充或更正", exact=True).check()
    page.get_by_label("專案聯絡人：陳聯絡（contact@example.com）").check()
    page.get_by_role("button", name="送出請求").click()
    expect(page.locator("#row-details .errorlist")).to_contain_text(
        "請寫明要補充或更正的欄位及正確內容"
    )
    expect(page.get_by_label("補充或更正", exact=True)).to_be_checked()
    axe.check(page, "company page with errors")
    page.get_by_label("請求內容說明").fill("行動電話改為 0922333444")
    page.get_by_role("button", name="送出請求").click()
    expect(page.locator("#request-table")).to_contain_text("收件")
    data_request = DataRequest.objects.get()

    operator = staff_page(browser, live_server, "operator")
    operator.goto(f"{live_server.url}/staff/privacy/")
    axe.check(operator, "staff list")
    operator.get_by_role("link", name=data_request.reference).click()
    operator.get_by_role("button", name="開始處理").click()
    expect(operator.locator("#request-state")).to_have_text("處理中")
    axe.check(operator, "staff detail")
    operator.get_by_role("link", name="AP115-I-0459：更正聯絡人資料").click()
    expect(operator.get_by_label("專案聯絡人行動電話", exact=True)).to_have_value("0912345678")
    axe.check(operator, "correction form")
    operator.get_by_label("專案聯絡人行動電話", exact=True).fill("0922-333-444")
    operator.get_by_role("button", name="儲存更正").click()
    expect(operator.locator("#event-table")).to_contain_text("專案聯絡人行動電話")
    operator.get_by_label("處理結果說明").fill("已將專案聯絡人行動電話更正為 0922333444。")
    operator.get_by_role("button", name="處理完成").click()
    expect(operator.locator("#request-state")).to_have_text("已完成")

    page.goto(f"{live_server.url}/privacy/")
    expect(page.locator(f"#request-{data_request.pk} .request-state")).to_have_text("已完成")
    expect(page.locator('#held [data-field="contact_mobile"]')).to_have_text("0922333444")
    mail = SentMail.objects.get(to=["contact@example.com"])
    assert "已將專案聯絡人行動電話更正為 0922333444。" in mail.body
    entry = AuditEntry.objects.get(action="privacy.profile_corrected")
    assert entry.data["fields"] == ["contact_mobile"]
    assert csp_errors == []
    assert axe.violations == {}
    operator.context.close()


def test_operator_erases_personal_data_only_after_confirming(browser, live_server, scene):
    from aipower.privacy import services
    from aipower.privacy.enums import Kind, Person, State

    data_request = services.file_request(
        scene["company"],
        kind=Kind.DELETE,
        person=Person.PI,
        requester_name="林主持",
        requester_email="pi@example.com",
        details="",
        by=scene["user"],
    )
    operator = staff_page(browser, live_server, "operator")
    operator.goto(f"{live_server.url}/staff/privacy/{data_request.pk}/")
    operator.get_by_role("button", name="開始處理").click()
    expect(operator.locator("#request-state")).to_have_text("處理中")
    operator.locator("#deletion textarea").fill("依當事人請求刪除。")
    questions = []

    operator.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    operator.get_by_role("button", name="接受請求並刪除個人資料").click()
    expect(operator.locator("#request-state")).to_have_text("處理中")
    data_request.refresh_from_db()
    assert data_request.state == State.IN_PROGRESS
    operator.once("dialog", lambda dialog: dialog.accept())
    operator.get_by_role("button", name="接受請求並刪除個人資料").click()

    expect(operator.locator("#request-state")).to_have_text("已完成")
    assert questions == ["確定刪除所選聯絡人之個人資料？刪除後無法復原。"]
    scene["application"].refresh_from_db()
    assert scene["application"].data["profile"]["pi_name"] == ""
    operator.context.close()


def _staff_sign_in(page, live_server, username):
    """Sign in through the staff login form, in ``page``'s own context (strict CSP kept)."""
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("帳號", exact=True).fill(username)
    page.get_by_label("密碼", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("驗證碼（TOTP）").fill(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
    page.get_by_role("button", name="登入").click()
    page.wait_for_url(f"{live_server.url}/staff/")


def _fill_recorded_request(page, ubn):
    page.get_by_label("申請企業", exact=True).fill(ubn)
    page.get_by_label("請求事項", exact=True).select_option(label="停止蒐集、處理、利用")
    page.get_by_label("當事人身分", exact=True).select_option(label="專案聯絡人")
    page.get_by_label("當事人姓名", exact=True).fill("陳聯絡")
    page.get_by_label("當事人電子信箱", exact=True).fill("contact@example.com")
    page.get_by_label("請求內容說明", exact=True).fill("來電請求停止寄送活動通知")
    page.get_by_label("收件方式", exact=True).select_option(label="電話")
    page.get_by_label("身分查驗說明", exact=True).fill("回撥申請資料所列電話並核對姓名、職稱")


def test_operator_records_a_data_subjects_request_by_phone(page, browser, live_server, scene):
    axe = Accessibility()
    csp_errors = _watch_csp(page)
    _staff_sign_in(page, live_server, "operator")

    page.goto(f"{live_server.url}/staff/privacy/")
    page.get_by_role("link", name="登錄當事人請求").click()
    expect(page).to_have_url(f"{live_server.url}/staff/privacy/new/")
    _fill_recorded_request(page, "12345675")
    page.get_by_role("button", name="登錄請求").click()
    expect(page.locator("#row-company .errorlist")).to_have_text("查無統一編號 12345675 之申請企業")
    expect(page.get_by_label("申請企業", exact=True)).to_have_value("12345675")
    expect(page.get_by_label("當事人姓名", exact=True)).to_have_value("陳聯絡")
    expect(page.get_by_label("收件方式", exact=True)).to_have_value("phone")
    expect(page.get_by_label("身分查驗說明", exact=True)).to_have_value(
        "回撥申請資料所列電話並核對姓名、職稱"
    )
    assert DataRequest.objects.count() == 0

    # axe is injected into the page: a second context that bypasses the CSP, same session.
    checker = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    checker.add_cookies(page.context.cookies())
    checked = checker.new_page()
    checked.goto(f"{live_server.url}/staff/privacy/new/")
    axe.check(checked, "record form")
    _fill_recorded_request(checked, "12345675")
    checked.get_by_role("button", name="登錄請求").click()
    expect(checked.locator("#row-company .errorlist")).to_be_visible()
    axe.check(checked, "record form with errors")

    page.get_by_label("申請企業", exact=True).fill("04595257")
    page.get_by_role("button", name="登錄請求").click()

    data_request = DataRequest.objects.get()
    expect(page).to_have_url(f"{live_server.url}/staff/privacy/#request-{data_request.pk}")
    expect(page.locator("body")).to_contain_text(
        f"已登錄當事人請求（編號 {data_request.reference}）。"
    )
    row = page.locator(f"#request-{data_request.pk}")
    expect(row).to_contain_text("示範智能股份有限公司")
    expect(row).to_contain_text("停止蒐集、處理、利用")
    expect(row.locator(".request-channel")).to_have_text("電話")
    expect(row.locator(".request-state")).to_have_text("收件")
    checked.goto(f"{live_server.url}/staff/privacy/")
    axe.check(checked, "staff list with a recorded request")
    row.get_by_role("link", name=data_request.reference).click()
    expect(page.locator("#request-channel")).to_contain_text("電話")
    expect(page.locator("#request-channel")).to_contain_text("由執行單位代當事人登錄")
    expect(page.locator("#request-identity-check")).to_have_text(
        "回撥申請資料所列電話並核對姓名、職稱"
    )
    expect(page.locator("#request-state")).to_have_text("收件")
    assert (data_request.channel, data_request.filed_by.username) == ("phone", "operator")
    checker.close()

    company = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei")
    company_page = company.new_page()
    company_errors = _watch_csp(company_page)
    _sign_in(company_page, live_server, scene["user"])
    company_page.goto(f"{live_server.url}/privacy/")
    listed = company_page.locator(f"#request-{data_request.pk}")
    expect(listed.locator(".request-channel")).to_have_text("執行單位代為登錄（電話）")
    expect(listed.locator(".request-state")).to_have_text("收件")
    company.close()
    assert csp_errors == []
    assert company_errors == []
    assert axe.violations == {}


def test_request_page_warning_wraps_on_a_narrow_screen(browser, live_server, scene):
    from aipower.privacy import services
    from aipower.privacy.enums import Kind, Person

    data_request = services.file_request(
        scene["company"],
        kind=Kind.QUERY,
        person=Person.OTHER,
        requester_name="路人甲",
        requester_email="not-a-contact@example.com",
        details="",
        by=scene["user"],
    )
    operator = staff_page(browser, live_server, "operator")
    operator.set_viewport_size({"width": 375, "height": 800})

    for language in ("zh-hant", "en"):
        operator.context.add_cookies(
            [{"name": "django_language", "value": language, "url": live_server.url}]
        )
        operator.goto(f"{live_server.url}/staff/privacy/{data_request.pk}/")
        expect(operator.locator("#on-file .badge-warning")).to_be_visible()

        assert operator.evaluate("document.documentElement.scrollWidth") <= 375, language
    operator.context.close()
