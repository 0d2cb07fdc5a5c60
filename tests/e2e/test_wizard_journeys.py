"""Browser: newcomers' journeys through the application wizard after the real card login.

山嵐資訊有限公司 (52880483, the development card 2, PIN 123456) applies for inference; it leaves
halfway and resumes, mistypes phone numbers, and after submission can update (a new version)
but never change the category. The seeded year-115 call is moved so that it is open now, and
the demo tax registry is loaded through the real importer (it pre-fills the profile).
"""

import pytest
from playwright.sync_api import expect

from aipower.applications.models import Application
from aipower.core.templatetags.roc import roc_date
from tests.e2e.fixtures_cards import *  # noqa: F403
from tests.e2e.wizard_helpers import (
    PROFILE,
    SHANLAN,
    agree_declaration,
    choose_category,
    expect_step,
    fill_inference_benefit,
    fill_inference_importance,
    fill_inference_project,
    fill_product,
    fill_profile,
    next_page,
    read_terms,
    sign_in_with_card,
    sign_out,
    sign_pledge,
    start_application,
)

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = ["openai/gpt-oss-20b", "Gemma 4 31B"]


def start_inference(page, live_server):
    """Sign in with the card, 我要申請, and fill the pages up to 使用模型需求."""
    sign_in_with_card(page, live_server)
    start_application(page)
    expect_step(page, live_server, "category")
    choose_category(page, "模型推論類")
    expect_step(page, live_server, "terms")
    read_terms(page)
    expect_step(page, live_server, "profile")
    # 企業名稱 and 統一編號 come from the certificate and are read-only.
    for label, value in [("企業名稱", SHANLAN["name"]), ("統一編號", SHANLAN["ubn"])]:
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
        expect(page.get_by_label(label, exact=True)).to_be_disabled()
    fill_profile(page, industry="J63(資訊服務業)")
    expect_step(page, live_server, "declaration")
    agree_declaration(page, SHANLAN["name"])
    expect_step(page, live_server, "inference-1")


def submit_inference(page, live_server):
    start_inference(page, live_server)
    fill_inference_project(page, "客服推論助理", "金融", MODELS)
    next_page(page)
    expect_step(page, live_server, "inference-2")
    fill_inference_importance(page)
    next_page(page)
    expect_step(page, live_server, "inference-3")
    fill_inference_benefit(page)
    next_page(page)
    expect_step(page, live_server, "inference-4")
    fill_product(page)
    next_page(page)
    expect_step(page, live_server, "pledge")
    sign_pledge(page, "模型推論類")
    expect(page.get_by_role("heading", name="您已完成申請表單")).to_be_visible()


def test_inference_application_submitted_with_two_models(page, live_server, demo_call):
    submit_inference(page, live_server)

    expect(page.get_by_text("申請編號：AP115-I-0001", exact=True)).to_be_visible()
    app = Application.objects.get()
    assert (app.company.ubn, app.category, app.state, app.number) == (
        "52880483",
        "inference",
        "submitted",
        "AP115-I-0001",
    )
    assert app.data["inference"]["inference_models"] == MODELS
    assert app.data["inference"]["domains"] == ["finance"]
    assert app.data["profile"]["industries"] == ["J63"]
    assert app.batch.category.kind == "inference"
    page.get_by_role("link", name="申請案狀態").click()
    expect(page).to_have_url(f"{live_server.url}/apply/dashboard/")
    table = page.locator("table").first
    expect(table.locator("tr", has_text="申請類別").locator("td")).to_have_text("模型推論類")
    expect(table.locator("tr", has_text="狀態").locator("td")).to_have_text("已送出")
    expect(table.locator("tr", has_text="申請編號").locator("td")).to_have_text("AP115-I-0001")
    expect(table.locator("tr", has_text="審查梯次").locator("td")).to_have_text(
        f"第{'一二三四五六'[app.batch.number - 1]}梯次"
    )
    expect(table.locator("tr", has_text="預計審查日").locator("td")).to_have_text(
        roc_date(app.batch.review_date)
    )


def test_leaving_halfway_and_signing_in_again_resumes_with_nothing_lost(
    page, live_server, demo_call
):
    start_inference(page, live_server)
    fill_inference_project(page, "客服推論助理", "金融", MODELS)
    next_page(page)
    expect_step(page, live_server, "inference-2")
    page.get_by_label("專案重要性", exact=True).fill("客服人力不足，需以推論服務分擔。")
    page.get_by_label("應用情境說明", exact=True).fill("客服回覆時間縮短一半。")
    next_page(page)  # a draft page is saved even with questions left unanswered
    expect_step(page, live_server, "inference-3")

    sign_out(page, live_server)
    sign_in_with_card(page, live_server)
    page.get_by_role("link", name="我要申請").click()

    expect_step(page, live_server, "inference-3")
    page.get_by_role("link", name="上一步").click()
    expect_step(page, live_server, "inference-2")
    expect(page.get_by_label("專案重要性", exact=True)).to_have_value(
        "客服人力不足，需以推論服務分擔。"
    )
    expect(page.get_by_label("產業應用機會", exact=True)).to_have_value("")
    expect(page.get_by_label("應用情境說明", exact=True)).to_have_value("客服回覆時間縮短一半。")
    page.get_by_role("link", name="上一步").click()
    expect_step(page, live_server, "inference-1")
    expect(page.get_by_label("專案主題", exact=True)).to_have_value("客服推論助理")
    expect(page.get_by_label("金融", exact=True)).to_be_checked()
    for model in MODELS:
        expect(page.locator(f'input[name="inference_models"][value="{model}"]')).to_be_checked()
    page.get_by_role("navigation", name="申請步驟").get_by_role(
        "link", name="企業基本資料表及個資同意書"
    ).click()
    expect_step(page, live_server, "profile")
    for label, name in [
        ("代表人", "representative"),
        ("專案主持人姓名", "pi_name"),
        ("專案主持人電子信箱", "pi_email"),
        ("公司簡介", "company_intro"),
    ]:
        expect(page.get_by_label(label, exact=True)).to_have_value(PROFILE[name])
    # Phone numbers come back in their stored (normalised) form.
    for label, stored in [
        ("專案主持人連絡電話(公司)市話", "02-12345678#123"),
        ("專案聯絡人連絡電話(公司)市話", "02-23456789"),
        ("專案聯絡人行動電話", "0912345678"),
    ]:
        expect(page.get_by_label(label, exact=True)).to_have_value(stored)
    expect(page.get_by_label("J63(資訊服務業)")).to_be_checked()
    expect(page.get_by_label("本人已充分知悉上述告知事項")).to_be_checked()


def test_wrong_landline_and_mobile_are_shown_next_to_the_fields_with_the_typed_text(
    page, live_server, demo_call
):
    sign_in_with_card(page, live_server)
    start_application(page)
    choose_category(page, "模型推論類")
    read_terms(page)

    fill_profile(
        page,
        {**PROFILE, "pi_phone": "12345", "contact_mobile": "0812-345-678"},
        industry="J63(資訊服務業)",
    )

    expect_step(page, live_server, "profile")
    expect(page.get_by_text("已儲存本頁，但有欄位需要修正，請參考欄位旁的說明")).to_be_visible()
    landline = page.locator("#row-pi_phone")
    expect(landline.get_by_label("專案主持人連絡電話(公司)市話", exact=True)).to_have_value("12345")
    expect(landline.locator(".errorlist")).to_have_text(
        "市話號碼格式不正確，格式：區碼-號碼#分機（例：02 12345678#123）"
    )
    mobile = page.locator("#row-contact_mobile")
    expect(mobile.get_by_label("專案聯絡人行動電話", exact=True)).to_have_value("0812-345-678")
    expect(mobile.locator(".errorlist")).to_have_text(
        "手機號碼格式不正確，格式：09xxxxxxxx（共 10 碼）"
    )
    expect(page.locator(".errorlist")).to_have_count(2)
    expect(page.get_by_label("專案主持人姓名", exact=True)).to_have_value(PROFILE["pi_name"])
    for field in (page.locator("#id_pi_phone"), page.locator("#id_contact_mobile")):
        expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_pi_phone")).to_have_attribute(
        "aria-describedby", "id_pi_phone_helptext id_pi_phone_error"
    )


def test_category_cannot_be_changed_after_submission(page, live_server, demo_call):
    submit_inference(page, live_server)

    page.get_by_role("navigation", name="申請步驟").get_by_role(
        "link", name="請選擇申請類別"
    ).click()

    expect_step(page, live_server, "category")
    expect(page.get_by_text("申請案 AP115-I-0001 已送出，申請類別不得更動。")).to_be_visible()
    expect(page.get_by_label("模型推論類", exact=True)).to_be_checked()
    expect(page.get_by_label("模型推論類", exact=True)).to_be_disabled()
    expect(page.get_by_label("模型訓練類", exact=True)).to_be_disabled()
    expect(page.locator("main form button[type=submit]")).to_have_count(0)
    # Sending the form anyway (as a crafted request) is refused and changes nothing.
    form = page.locator("main form")
    response = page.request.post(
        f"{live_server.url}/apply/step/category/",
        form={
            "csrfmiddlewaretoken": form.locator("[name=csrfmiddlewaretoken]").input_value(),
            "revision": form.locator("[name=revision]").input_value(),
            "category": "training",
        },
    )
    assert response.url == f"{live_server.url}/apply/dashboard/"
    assert "申請案已送出，申請類別及此頁內容不得更動" in response.text()
    app = Application.objects.get()
    assert (app.category, app.number, app.versions.count()) == ("inference", "AP115-I-0001", 1)


def test_update_after_submission_keeps_a_new_version(page, live_server, demo_call):
    submit_inference(page, live_server)

    page.get_by_role("link", name="檢視或更新申請表").click()
    section = page.locator("section.print-section", has_text="專案主題及使用模型")
    section.get_by_role("link", name="更新此頁").click()
    expect_step(page, live_server, "inference-1")
    page.get_by_label("專案主題", exact=True).fill("客服推論助理（多語）")
    page.get_by_role("button", name="儲存更新").click()

    expect_step(page, live_server, "inference-2")
    expect(page.get_by_text("已更新申請表（第 2 版）")).to_be_visible()
    page.get_by_role("link", name="檢視申請表").click()
    expect(
        page.locator("section.print-section", has_text="專案主題及使用模型")
        .locator("tr", has_text="專案主題")
        .locator("td")
    ).to_have_text("客服推論助理（多語）")
    page.get_by_role("link", name="申請案狀態").click()
    history = page.locator("section", has=page.get_by_role("heading", name="版本紀錄"))
    versions = history.locator("tbody tr")
    expect(versions).to_have_count(2)
    expect(versions.nth(0).locator("td").nth(0)).to_have_text("2")
    expect(versions.nth(0).locator("td").nth(2)).to_have_text("1")
    expect(versions.nth(1).locator("td").nth(0)).to_have_text("1")
    app = Application.objects.get()
    latest = app.versions.get(number=2)
    assert latest.changed_fields == ["inference.topic"]
    assert latest.created_by.company.ubn == "52880483"
    assert app.data["inference"]["topic"] == "客服推論助理（多語）"
    assert app.versions.get(number=1).data["answers"]["inference"]["topic"] == "客服推論助理"
