"""Browser: the company follows the dashboard's link to its usage, sees the figures and the
daily chart under the strict CSP (no violations reported), downloads the CSV, and the pages have
no accessibility violations."""

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from aipower.accounts.models import User
from tests.e2e.accessibility import axe_findings

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, company):
    user = User.objects.create_user(username=f"c-{company.ubn}", role="company", company=company)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_usage_pages_from_the_dashboard(page, live_server, used_allowance):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _sign_in(page, live_server, used_allowance.company)

    page.goto(f"{live_server.url}/apply/dashboard/")
    page.get_by_role("link", name="查看點數使用情形").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("算力點數使用情形")
    figures = page.locator(".usage-figures")
    expect(figures).to_contain_text("核發點數")
    expect(figures.locator("dd").nth(0)).to_have_text("1,000")
    expect(figures.locator("dd").nth(1)).to_have_text("2.5")
    expect(figures.locator("dd").nth(2)).to_have_text("997.5")

    page.get_by_role("link", name="檢視使用明細").click()
    chart = page.locator("svg.usage-chart-svg")
    expect(chart).to_be_visible()
    expect(chart.locator("rect.usage-bar")).to_have_count(11)
    assert chart.locator("rect.usage-bar").last.bounding_box()["height"] > 0
    expect(page.get_by_role("heading", name="各模型用量")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="下載使用紀錄（CSV）").click()
    download = download_info.value
    assert download.suggested_filename == f"usage-12345675-{used_allowance.pk}.csv"
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert "gw:r1" in text
    assert csp_errors == []


def test_usage_pages_have_no_accessibility_violations(browser, live_server, used_allowance):
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    page = context.new_page()
    _sign_in(page, live_server, used_allowance.company)
    found = {}
    for path in ("/usage/", f"/usage/{used_allowance.pk}/"):
        page.goto(f"{live_server.url}{path}")
        found[path] = axe_findings(page)
    context.close()
    assert found == {"/usage/": [], f"/usage/{used_allowance.pk}/": []}
