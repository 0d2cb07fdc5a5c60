"""Shared steps of the wizard's browser tests: the real card login, and filling each wizard page
the way a newcomer does (by the labels on the screen).

The card fixtures come from ``fixtures_cards``; the answers are the seed's examples in
``tests.applications.conftest``.
"""

from playwright.sync_api import expect

from tests.applications.conftest import BENEFIT_COMMON, EXAMPLE_IMPORTANCE, PROFILE

__all__ = [
    "EXAMPLE_IMPORTANCE",
    "PROFILE",
    "PROFILE_FIELDS",
    "SHANLAN",
    "agree_declaration",
    "check",
    "choose_category",
    "expect_step",
    "fill_inference_benefit",
    "fill_inference_importance",
    "fill_inference_project",
    "fill_product",
    "fill_profile",
    "next_page",
    "read_terms",
    "sign_in_with_card",
    "sign_out",
    "sign_pledge",
    "start_application",
]


def next_page(page):
    page.get_by_role("button", name="下一步", exact=True).click()


def check(page, name, value):
    page.locator(f'input[name="{name}"][value="{value}"]').check()


PIN = "123456"
SHANLAN = {"ubn": "52880483", "name": "山嵐資訊有限公司"}
READERS = {
    "52880483": "AI Power 開發用讀卡機 2（山嵐資訊有限公司 52880483） 卡號:[MT00000052880483]",
}

# (label on the page, PROFILE key) of the profile page's text fields.
PROFILE_FIELDS = [
    ("設立登記日期", "founded_on"),
    ("實收資本額", "paid_in_capital"),
    ("代表人", "representative"),
    ("員工數", "employees"),
    ("通訊地址", "address"),
    ("專案主持人姓名", "pi_name"),
    ("專案主持人職稱", "pi_title"),
    ("專案主持人連絡電話(公司)市話", "pi_phone"),
    ("專案主持人電子信箱", "pi_email"),
    ("專案聯絡人姓名", "contact_name"),
    ("專案聯絡人職稱", "contact_title"),
    ("專案聯絡人連絡電話(公司)市話", "contact_phone"),
    ("專案聯絡人電子信箱", "contact_email"),
    ("專案聯絡人行動電話", "contact_mobile"),
    ("公司簡介", "company_intro"),
]


def sign_in_with_card(page, live_server, company=SHANLAN):
    """The real card flow: choose the company's reader, type the PIN, 登入 → 公司資訊."""
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("可用讀卡機").select_option(label=READERS[company["ubn"]])
    page.get_by_label("請輸入PIN碼").fill(PIN)
    page.get_by_role("button", name="登入", exact=True).click()
    page.wait_for_url(f"{live_server.url}/company/")
    expect(page.locator("#company-ubn")).to_have_text(company["ubn"])


def start_application(page):
    """From 公司資訊: 「我要申請」 (a link to the start page, which creates nothing), then
    「開始填寫」 (the form that creates the draft and opens 請選擇申請類別)."""
    page.get_by_role("link", name="我要申請").click()
    expect(page.get_by_role("heading", name="申請步驟")).to_be_visible()
    page.get_by_role("button", name="開始填寫").click()


def sign_out(page, live_server):
    """The header's 「登出」."""
    page.locator("header").get_by_role("button", name="登出", exact=True).click()
    page.wait_for_url(f"{live_server.url}/login/")


def expect_step(page, live_server, identifier):
    expect(page).to_have_url(f"{live_server.url}/apply/step/{identifier}/")


def choose_category(page, label):
    """請選擇申請類別: 模型訓練類 or 模型推論類."""
    page.get_by_label(label, exact=True).check()
    next_page(page)


def read_terms(page):
    """申請注意事項及使用規範."""
    expect(page.get_by_text("詳閱後請按下一步")).to_be_visible()
    next_page(page)


def fill_profile(page, values=PROFILE, *, industry="J62(電腦程式設計、諮詢及相關服務業)"):
    """企業基本資料表 + 個資同意書, then 「儲存會員資料, 下一步」."""
    for label, name in PROFILE_FIELDS:
        page.get_by_label(label, exact=True).fill(values[name])
    page.get_by_label(industry).check()
    page.get_by_label("本人已充分知悉上述告知事項").check()
    page.get_by_role("button", name="儲存會員資料, 下一步").click()


def agree_declaration(page, company_name):
    """算力使用者聲明及同意事項."""
    expect(page.get_by_text(f"聲明人 {company_name} 聲明及同意以下事項：")).to_be_visible()
    page.get_by_label("聲明人已明確了解上述所有聲明與授權內容，並且同意遵守之。").check()
    next_page(page)


def fill_inference_project(page, topic, domain, models):
    """1. 專案主題 · 2. 推動使用產業領域 · 3. 使用模型需求 (推論類)."""
    page.get_by_label("專案主題", exact=True).fill(topic)
    page.get_by_label(domain, exact=True).check()
    for model in models:
        check(page, "inference_models", model)


def fill_inference_importance(page, importance=EXAMPLE_IMPORTANCE):
    """4. 專案重要性 · 5. 產業應用機會 · 6. 應用情境說明 (推論類)."""
    page.get_by_label("專案重要性", exact=True).fill(importance)
    page.get_by_label("產業應用機會", exact=True).fill("推廣至金融客服。")
    page.get_by_label("應用情境說明", exact=True).fill("客服回覆時間縮短一半。")


def fill_inference_benefit(page):
    """7. 預期效益合理性 (推論類), bonus items and registrations answered 無 / 沒有."""
    page.get_by_label("1. 產出應用（項）").fill("1")
    page.get_by_label("本公司同意提供結案報告乙式").check()
    for name, value in BENEFIT_COMMON.items():
        if name == "registration_security":
            check(page, name, value)
        elif name != "deliverables_agree":
            page.locator(f'input[name="{name}"]').fill(value)


def fill_product(page):
    """8. 預計產品化階段說明 · 9. 其他需求."""
    page.get_by_label("中小型企業").check()
    page.get_by_label("以上皆無，尚在開發階段").check()
    page.get_by_label("雲端服務").check()
    page.get_by_label("按用戶數計費").check()
    page.get_by_label("按月計費").check()
    page.get_by_label("其他需求").fill("無")


def sign_pledge(page, category_label):
    """切結書: both pledges, then 「送出，並完成申請」."""
    expect(
        page.get_by_text("未按「送出」之前都可回到前頁進行「申請類別」替換，送出後不得更動")
    ).to_be_visible()
    page.get_by_label("本公司已明確了解上述所有切結內容，並且同意遵守所有規定").check()
    page.get_by_label(f"本公司已確認申請「{category_label}」算力資源").check()
    page.get_by_role("button", name="送出，並完成申請").click()
