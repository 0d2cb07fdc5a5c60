"""Browser: after the card login, the company-confirmation page shows the eligibility pre-check.

木棉精密工業 (manufacturing) is told it is not eligible, why, and whom to contact; 晴空智能 is
told it is eligible with start-up priority, which the operator confirms at the eligibility
review. The registry is the demo fixture, loaded through the real importer.
"""

import pytest
from playwright.sync_api import expect

from aipower.devtools.demo import shift_call_to_now
from aipower.registry.services import import_demo_registry
from tests.e2e.accessibility import axe_findings
from tests.e2e.fixtures_cards import *  # noqa: F403

pytestmark = pytest.mark.django_db(transaction=True)

READERS = {
    "84700087": "AI Power 開發用讀卡機 1（晴空智能股份有限公司 84700087） 卡號:[MT00000084700087]",
    "96865468": (
        "AI Power 開發用讀卡機 5（木棉精密工業股份有限公司 96865468） 卡號:[MT00000096865468]"
    ),
}


@pytest.fixture
def demo(call_115):
    shift_call_to_now(call_115)
    import_demo_registry()
    return call_115


def sign_in(page, live_server, ubn):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("可用讀卡機").select_option(label=READERS[ubn])
    page.get_by_label("請輸入PIN碼").fill("123456")
    page.get_by_role("button", name="登入", exact=True).click()
    page.wait_for_url(f"{live_server.url}/company/")


def test_manufacturer_is_told_it_is_not_eligible_and_why(page, live_server, card_component, demo):
    sign_in(page, live_server, "96865468")

    verdict = page.locator("#eligibility-verdict")
    expect(page.locator("#company-name")).to_have_text("木棉精密工業股份有限公司")
    expect(verdict).to_have_attribute("data-status", "not_eligible")
    expect(verdict.locator("#verdict-title")).to_have_text("不符合申請資格")
    reasons = verdict.locator(".verdict-reasons li")
    expect(reasons).to_have_count(1)
    expect(reasons).to_contain_text(
        "登記營業項目（行業代號）均不屬於 J582 軟體出版業、J62 電腦程式設計、諮詢及相關服務業、"
        "J63 資訊服務業、K6699 第三方支付服務業。"
    )
    # The evidence: the company's own registered items, so it sees why none qualifies.
    expect(reasons.locator(".verdict-evidence")).to_have_text(
        "貴公司之登記營業項目：259999 未分類其他金屬製品製造、292999 未分類其他專用機械設備製造、"
        "464111 電腦及其週邊設備批發"
    )
    expect(verdict.locator(".verdict-contact")).to_have_text(
        "如有疑問，請洽申請客服信箱 aipower.service@twcloud.ai 或申請諮詢專線 "
        "(02) 2898-7447 分機 86539、86542。"
    )
    expect(page.locator("#startup-priority")).to_have_count(0)
    assert axe_findings(page) == []


def test_startup_is_told_it_is_eligible_with_priority(page, live_server, card_component, demo):
    sign_in(page, live_server, "84700087")

    verdict = page.locator("#eligibility-verdict")
    expect(page.locator("#company-name")).to_have_text("晴空智能股份有限公司")
    expect(verdict).to_have_attribute("data-status", "eligible")
    expect(verdict.locator("#verdict-title")).to_contain_text("符合申請資格")
    # The priority the tax data's date gives; the operator confirms it (MOEA approval date).
    expect(page.locator("#startup-priority")).to_have_text("具新創優先資格")
    expect(verdict).to_contain_text("620211 系統整合")
    expect(page.locator("#startup-priority-note")).to_have_text(
        "依稅籍登記資料之設立日期 110年03月15日，具新創優先資格（審查時優先考量）。"
        "執行單位於資格審查時，依經濟部商業發展署商工登記之核准設立日期"
        "（須為 107年01月01日（含）以後）確認。"
    )
    expect(page.get_by_role("link", name="我要申請")).to_be_visible()
    assert axe_findings(page) == []
