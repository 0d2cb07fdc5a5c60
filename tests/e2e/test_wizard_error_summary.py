"""Browser: a wizard page sent back with errors opens with the error summary focused.

山嵐資訊有限公司 signs in with the development card (PIN 123456) and presses 下一步 on
請選擇申請類別 without choosing: the page comes back with 「請修正下列欄位：」 at the top of the
form, the focus on it (core/js/site.js, under the strict CSP), and its link takes the focus to
the first radio button of the group. The long profile page saved as a draft with a mistyped
phone number does the same for its field. In a second browser context (CSP bypassed only so
that axe can be injected) the pages with errors have no accessibility violations.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.accessibility import axe_findings
from tests.e2e.fixtures_cards import *  # noqa: F403
from tests.e2e.wizard_helpers import (
    PROFILE,
    choose_category,
    expect_step,
    fill_profile,
    next_page,
    read_terms,
    sign_in_with_card,
    start_application,
)

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "請修正下列欄位："


def summary_of(page):
    return page.get_by_role("alert").filter(has_text=TITLE)


def test_failed_next_focuses_the_summary_and_its_links_reach_the_fields(
    page, browser, live_server, demo_call
):
    csp_errors = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on("pageerror", lambda error: csp_errors.append(str(error)))
    sign_in_with_card(page, live_server)
    start_application(page)
    expect_step(page, live_server, "category")
    assert page.locator("#error-summary").count() == 0

    # 下一步 without a category: the summary is focused; its link reaches the first option.
    next_page(page)
    summary = summary_of(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["請選擇申請類別"])
    summary.get_by_role("link", name="請選擇申請類別").click()
    expect(page.get_by_role("radio", name="模型訓練類", exact=True)).to_be_focused()

    # The long profile page saved with a mistyped phone number: kept, summarised, reachable.
    choose_category(page, "模型訓練類")
    expect_step(page, live_server, "terms")
    read_terms(page)
    expect_step(page, live_server, "profile")
    fill_profile(page, {**PROFILE, "pi_phone": "12345"})
    summary = summary_of(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(["專案主持人連絡電話(公司)市話"])
    summary.get_by_role("link", name="專案主持人連絡電話(公司)市話").click()
    phone = page.get_by_label("專案主持人連絡電話(公司)市話", exact=True)
    expect(phone).to_be_focused()
    expect(phone).to_have_value("12345")
    assert csp_errors == []

    # axe on the pages with errors, in a context that lets it be injected.
    checked = browser.new_context(
        locale="zh-TW",
        timezone_id="Asia/Taipei",
        bypass_csp=True,
        storage_state=page.context.storage_state(),
    )
    checked.set_default_timeout(15_000)
    audited = checked.new_page()
    violations = {}
    audited.goto(f"{live_server.url}/apply/step/profile/")
    audited.get_by_role("button", name="儲存會員資料, 下一步").click()
    expect(summary_of(audited)).to_be_focused()
    violations["profile"] = axe_findings(audited)
    audited.goto(f"{live_server.url}/apply/step/training-1/?check=1")
    expect(summary_of(audited)).to_be_focused()
    violations["training-1 (checked)"] = axe_findings(audited)
    checked.close()
    assert violations == {"profile": [], "training-1 (checked)": []}
