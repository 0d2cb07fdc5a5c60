"""Browser: the operator opens a productisation survey round; a training company whose period
ended ten days ago (like the demo's 北港軟體) fills it in, saves a draft with an http:// product
address (refused by the field, the text kept), corrects it and submits, under the strict CSP;
the operator then sees the company as 已填報 and opens its answers. The pages have no
accessibility violations."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.calls.enums import CategoryKind
from aipower.followup.models import ResponseVersion, Round
from tests.conftest import verified_client
from tests.deliverables.conftest import ended_allowance
from tests.e2e.accessibility import axe_findings

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "115年度產品化調查（第1次）"


@pytest.fixture
def allowance(call_115):
    allowance = ended_allowance(call_115, "48552728", CategoryKind.TRAINING, days_ago=10)
    application = allowance.award.application
    application.data = {
        **application.data,
        "training": {"expected_models": 1, "expected_applications": 2, "customers": ["sme"]},
    }
    application.save(update_fields=["data"])
    return allowance


def _add_session(page, live_server, client):
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _watch_csp(page):
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


def test_operator_opens_round_company_submits_operator_sees_it(
    page, browser, live_server, allowance, call_115
):
    staff_csp = _watch_csp(page)
    operator = User.objects.create_user(username="operator-e2e", role="operator")
    _add_session(page, live_server, verified_client(operator))
    today = timezone.localdate()

    page.goto(f"{live_server.url}/staff/followup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("產品化調查")
    assert axe_findings(page) == []
    page.get_by_role("link", name="開啟產品化調查").click()
    page.get_by_label("調查名稱", exact=True).fill(TITLE)
    page.get_by_label("徵件").select_option(str(call_115.pk))
    page.get_by_label("開放填報日").fill(today.isoformat())
    page.get_by_label("填報截止日").fill((today + datetime.timedelta(days=30)).isoformat())
    assert axe_findings(page) == []
    page.get_by_role("button", name="開啟調查").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    row = page.locator(f"#row-{allowance.award_id}")
    expect(row).to_contain_text("未填報")
    round_ = Round.objects.get()

    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei")
    company_page = context.new_page()
    company_csp = _watch_csp(company_page)
    user = User.objects.create_user(
        username="c-48552728", role="company", company=allowance.company
    )
    client = Client()
    client.force_login(user)
    _add_session(company_page, live_server, client)

    company_page.goto(f"{live_server.url}/followup/{round_.pk}/")
    expect(company_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(company_page.locator("#row-models_made")).to_contain_text("申請時預計產出模型：1 項")
    expect(company_page.get_by_label("中小型企業")).to_be_checked()
    assert axe_findings(company_page) == []

    company_page.get_by_label("已產出模型（項）").fill("2")
    company_page.get_by_label("已產出應用（項）").fill("3")
    company_page.get_by_label("產品已上市：官網或社群貼文可查詢產品介紹").check()
    company_page.get_by_label("雲端服務").check()
    company_page.get_by_label("按帳號數計費").check()
    company_page.get_by_label("按月計費").check()
    company_page.get_by_label("產品或服務名稱").fill("客服小幫手")
    company_page.get_by_label("產品或服務網址").fill("http://beigang.example")
    company_page.get_by_label("付費客戶數").fill("12")
    company_page.get_by_role("button", name="儲存草稿").click()
    url_row = company_page.locator("#row-product_url")
    expect(url_row.locator(".errorlist")).to_have_text("請輸入以 https:// 開頭的有效網址")
    expect(company_page.get_by_label("產品或服務網址")).to_have_value("http://beigang.example")
    expect(company_page.get_by_label("產品或服務名稱")).to_have_value("客服小幫手")

    company_page.get_by_label("產品或服務網址").fill("https://beigang.example")
    company_page.get_by_role("button", name="送出", exact=True).click()
    expect(company_page.locator(".messages")).to_contain_text("已送出產品化調查（第 1 版）")
    expect(company_page.locator("#followup-status")).to_have_text("已填報")
    expect(company_page.locator("#submitted-answers")).to_contain_text("客服小幫手")
    assert axe_findings(company_page) == []
    assert company_csp == []
    assert ResponseVersion.objects.get().data["product_url"] == "https://beigang.example"
    context.close()

    page.reload()
    row = page.locator(f"#row-{allowance.award_id}")
    expect(row).to_contain_text("已填報")
    assert axe_findings(page) == []
    row.get_by_role("link").click()
    expect(page.locator("#version-1")).to_contain_text("客服小幫手")
    assert axe_findings(page) == []
    assert staff_csp == []
