"""Browser: 「上一步」 and the step list keep what was typed on a page that was left without
「下一步」 (01-journey: going back never loses data).

山嵐資訊有限公司 (52880483, the development card 2, PIN 123456) fills in its inference application
after the real card login; the seeded year-115 call is moved so that it is open now.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.fixtures_cards import *  # noqa: F403
from tests.e2e.wizard_helpers import (
    SHANLAN,
    agree_declaration,
    choose_category,
    expect_step,
    fill_inference_project,
    fill_profile,
    next_page,
    read_terms,
    sign_in_with_card,
    start_application,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_typing_then_going_back_loses_nothing(page, live_server, demo_call):
    sign_in_with_card(page, live_server)
    start_application(page)
    choose_category(page, "模型推論類")
    read_terms(page)
    fill_profile(page, industry="J63(資訊服務業)")
    agree_declaration(page, SHANLAN["name"])
    fill_inference_project(page, "客服推論助理", "金融", ["openai/gpt-oss-20b"])
    next_page(page)
    expect_step(page, live_server, "inference-2")

    page.get_by_label("專案重要性", exact=True).fill("客服人力不足，需以推論服務分擔。")
    page.get_by_role("link", name="上一步").click()
    expect_step(page, live_server, "inference-1")
    page.get_by_label("專案主題", exact=True).fill("客服推論助理（第二版）")
    page.get_by_role("navigation", name="申請步驟").get_by_role(
        "link", name="企業基本資料表及個資同意書"
    ).click()
    expect_step(page, live_server, "profile")
    next_page_label = "儲存會員資料, 下一步"
    page.get_by_role("button", name=next_page_label).click()
    expect_step(page, live_server, "declaration")
    next_page(page)
    expect_step(page, live_server, "inference-1")
    expect(page.get_by_label("專案主題", exact=True)).to_have_value("客服推論助理（第二版）")
    next_page(page)
    expect_step(page, live_server, "inference-2")
    expect(page.get_by_label("專案重要性", exact=True)).to_have_value(
        "客服人力不足，需以推論服務分擔。"
    )
