"""Browser: a company follows the dashboard's link to its personal-data page, files a
補充或更正 request for its project contact (after an error shown by the field, the text kept),
under the strict CSP; the operator starts it, corrects the contact's mobile number and completes
it; the requester is mailed and the company sees 已完成 and the corrected number. The pages have
no serious accessibility violations."""

import pytest
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from aipower.applications.models import SentMail
from aipower.core.models import AuditEntry
from aipower.devtools.staff import create_demo_staff
from aipower.privacy.models import DataRequest
from tests.e2e.test_review_batch import Accessibility, staff_page
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
