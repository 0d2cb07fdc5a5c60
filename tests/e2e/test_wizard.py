"""Browser test: a signed-in company fills the training application with the programme
document's example values and submits it."""

import pytest
from django.test import Client

from aipower.applications.models import Application, SentMail
from tests.applications.conftest import EXAMPLE_IMPORTANCE, PROFILE, make_company_user, open_now
from tests.e2e.wizard_helpers import PROFILE_FIELDS, check, next_page


@pytest.fixture
def signed_in_page(page, live_server, transactional_db, call_115):
    open_now(call_115)
    user = make_company_user()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return page


def test_wizard_training_application_submitted(signed_in_page, live_server):
    page = signed_in_page
    page.goto(f"{live_server.url}/apply/")
    page.get_by_role("button", name="開始填寫").click()

    # 請選擇申請類別
    page.get_by_label("模型訓練類").check()
    next_page(page)
    # 申請注意事項及使用規範
    page.get_by_text("詳閱後請按下一步").wait_for()
    next_page(page)
    # 企業基本資料表 + 個資同意書
    assert page.get_by_label("企業名稱", exact=True).is_disabled()
    for label, name in PROFILE_FIELDS:
        page.get_by_label(label, exact=True).fill(PROFILE[name])
    page.get_by_label("J62(電腦程式設計、諮詢及相關服務業)").check()
    page.get_by_label("本人已充分知悉上述告知事項").check()
    page.get_by_role("button", name="儲存會員資料, 下一步").click()
    # 算力使用者聲明及同意事項
    page.get_by_text("聲明人 示範智能股份有限公司 聲明及同意以下事項：").wait_for()
    page.get_by_label("聲明人已明確了解上述所有聲明與授權內容，並且同意遵守之。").check()
    next_page(page)
    # 1–3
    page.get_by_label("專案主題", exact=True).fill("高齡照護GPT")
    page.get_by_label("醫療健康").check()
    assert page.get_by_label("如勾選其他，請輸入產業領域：").is_hidden()
    for label in ["A-1 上傳模型名稱：", "A-2 版本：", "A-3 下載連結：", "A-4 基礎模型名稱"]:
        page.get_by_label(label).fill("無")
    check(page, "no_code_models", "Llama-3.1-TAIDELX-8B-Lora")
    check(page, "validation_models", "Llama-3.1-FFM-8B-Lora")
    next_page(page)
    # 4–6, with the document's example values
    page.get_by_label("專案重要性", exact=True).fill(EXAMPLE_IMPORTANCE)
    page.get_by_label("產業應用機會", exact=True).fill("協助健康醫療照護產業導入AI技術。")
    page.get_by_label("文字（tokens）").fill("0")
    page.get_by_label("語音（小時）").fill("1232")
    page.get_by_label("影片（小時）").fill("222")
    page.get_by_label("影片平均像素大小（長x寬）").fill("2132x1231")
    page.get_by_label("圖片（張）").fill("2")
    page.get_by_label("圖片平均像素大小（長x寬）").fill("2123 × 1234")
    page.get_by_label("資料集主要內容描述").fill("無")
    next_page(page)
    # 7
    page.get_by_label("1. 預計產出模型（項）").fill("2")
    page.get_by_label("2. 預計產出應用（項）").fill("2")
    page.get_by_label("本公司同意提供結案報告乙式").check()
    for name in [
        "mou_url",
        "product_material_url",
        "dataset_huggingface_url",
        "dataset_github_url",
        "model_huggingface_url",
        "model_github_url",
        "registration_payment",
        "registration_esignature",
        "registration_data_economy",
        "registration_ai",
        "registration_it_services",
    ]:
        page.locator(f'input[name="{name}"]').fill("無")
    check(page, "registration_security", "no")
    next_page(page)
    # 8–9
    page.get_by_label("中小型企業").check()
    page.get_by_label("以上皆無，尚在開發階段").check()
    page.get_by_label("雲端服務").check()
    page.get_by_label("按用戶數計費").check()
    page.get_by_label("按月計費").check()
    page.get_by_label("其他需求").fill("無")
    next_page(page)
    # 切結書
    page.get_by_text("未按「送出」之前都可回到前頁進行「申請類別」替換，送出後不得更動").wait_for()
    page.get_by_label("本公司已明確了解上述所有切結內容，並且同意遵守所有規定").check()
    page.get_by_label("本公司已確認申請「模型訓練類」算力資源").check()
    page.get_by_role("button", name="送出，並完成申請").click()

    page.get_by_role("heading", name="您已完成申請表單").wait_for()
    assert page.get_by_text("申請編號：AP115-T-0001", exact=True).is_visible()
    app = Application.objects.get()
    assert app.number == "AP115-T-0001"
    assert app.data["training"]["image_resolution"] == "2123x1234"
    assert app.data["profile"]["pi_phone"] == "02-12345678#123"
    assert SentMail.objects.get().application == app


def test_wizard_exclusive_option_clears_the_others(signed_in_page, live_server):
    page = signed_in_page
    page.goto(f"{live_server.url}/apply/")
    page.get_by_role("button", name="開始填寫").click()
    page.get_by_label("模型訓練類").check()
    next_page(page)
    page.goto(f"{live_server.url}/apply/step/training-1/")
    check(page, "validation_models", "Llama-3.1-FFM-8B-Lora")

    check(page, "validation_models", "none")

    assert not page.locator(
        'input[name="validation_models"][value="Llama-3.1-FFM-8B-Lora"]'
    ).is_checked()
    check(page, "validation_models", "openai/gpt-oss-20b")
    assert not page.locator('input[name="validation_models"][value="none"]').is_checked()
