"""Browser: a training company whose period has ended follows the dashboard's link, hands in
its 結案報告 (PDF) and 成果簡報 (PPTX) as files and its 產品demo影片 as a link (after a refused
http:// link, whose error shows by the field with the text kept), under the strict CSP; the
operator then sees the award as 已繳齊, downloads the report and records the demo meeting.
The pages have no accessibility violations."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.calls.enums import CategoryKind
from aipower.deliverables.models import DemoAttendance, Submission
from tests.conftest import verified_client
from tests.deliverables.conftest import PDF, ended_allowance, office_zip
from tests.e2e.accessibility import axe_findings

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def allowance(call_115, settings, tmp_path):
    settings.DELIVERABLES_ROOT = tmp_path / "deliverables"
    return ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=5)


def _add_session(page, live_server, client):
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _company_session(page, live_server, company):
    user = User.objects.create_user(username=f"c-{company.ubn}", role="company", company=company)
    client = Client()
    client.force_login(user)
    _add_session(page, live_server, client)


def _watch_csp(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def test_company_submits_and_operator_sees_it(page, browser, live_server, allowance):
    csp_errors = _watch_csp(page)
    _company_session(page, live_server, allowance.company)
    award = allowance.award_id

    page.goto(f"{live_server.url}/apply/dashboard/")
    page.get_by_role("link", name="前往成果繳交").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("成果繳交")
    assert axe_findings(page) == []

    report = page.locator(f"#item-{award}-report")
    report.get_by_label("上傳檔案").set_input_files(
        {"name": "結案報告.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    report.get_by_role("button", name="繳交結案報告").click()
    expect(page.locator(".messages")).to_contain_text("已收到「結案報告」")
    expect(page.locator(f"#item-{award}-report")).to_contain_text("結案報告.pdf")

    slides = page.locator(f"#item-{award}-slides")
    slides.get_by_label("上傳檔案").set_input_files(
        {
            "name": "成果簡報.pptx",
            "mimeType": "application/octet-stream",
            "buffer": office_zip("ppt/presentation.xml"),
        }
    )
    slides.get_by_role("button", name="繳交成果簡報").click()
    expect(page.locator(".messages")).to_contain_text("已收到「成果簡報」")

    video = page.locator(f"#item-{award}-video")
    video.get_by_label("或填寫連結網址").fill("http://youtu.be/demo")
    video.get_by_role("button", name="繳交產品demo影片").click()
    video = page.locator(f"#item-{award}-video")
    expect(video.locator(".errorlist")).to_have_text("請輸入以 https:// 開頭的有效網址")
    expect(video.get_by_label("或填寫連結網址")).to_have_value("http://youtu.be/demo")
    video.get_by_label("或填寫連結網址").fill("https://youtu.be/demo")
    video.get_by_role("button", name="繳交產品demo影片").click()
    expect(page.locator(".messages")).to_contain_text("已收到「產品demo影片」")
    expect(page.locator(f"#status-{award}")).to_have_text("已繳齊")
    assert axe_findings(page) == []
    assert csp_errors == []
    assert Submission.objects.filter(award_id=award).count() == 3

    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei")
    staff_page = context.new_page()
    staff_csp = _watch_csp(staff_page)
    operator = User.objects.create_user(username="operator-e2e", role="operator")
    _add_session(staff_page, live_server, verified_client(operator))

    staff_page.goto(f"{live_server.url}/staff/deliverables/")
    row = staff_page.locator(f"#row-{award}")
    expect(row).to_contain_text("已繳齊")
    expect(row.locator(".deliverables-item-submitted")).to_have_count(3)
    assert axe_findings(staff_page) == []
    row.get_by_role("link").click()
    expect(staff_page.locator("#submissions")).to_contain_text("https://youtu.be/demo")
    with staff_page.expect_download() as download_info:
        staff_page.get_by_role("link", name="結案報告.pdf").click()
    assert download_info.value.suggested_filename == "結案報告.pdf"

    staff_page.get_by_label("出席", exact=True).check()
    staff_page.get_by_label("會議日期").fill(timezone.localdate().isoformat())
    staff_page.get_by_label("備註").fill("準時出席")
    staff_page.get_by_role("button", name="登錄").click()
    expect(staff_page.locator("#attendances")).to_contain_text("準時出席")
    assert axe_findings(staff_page) == []
    assert DemoAttendance.objects.get().attended is True
    assert staff_csp == []
    context.close()
