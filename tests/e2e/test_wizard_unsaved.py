"""Browser: leaving a wizard page with typed answers not saved asks first.

The draft's 「上一步」 and step list save on the way (test_wizard_going_back); any other way off
the page — the header's links, or a submitted application's 「上一步」 and step list, which
never saved — used to drop what was typed without a word. Now the browser asks (beforeunload)
and the typing stays when the user chooses to stay; sending the form never asks."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from aipower.applications.services import start_application, submit_application
from tests.applications.conftest import fill_application, make_company_user, open_now

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def company(page, live_server, call_115):
    open_now(call_115)
    user = make_company_user()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return user


@pytest.fixture
def dialogs(page):
    """The dialogs the page opened (each dismissed: the user chooses to stay)."""
    seen = []

    def stay(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    return seen


def type_into(page, label, text):
    field = page.get_by_label(label, exact=True)
    field.click()
    field.press_sequentially(text)
    return field


def test_a_header_link_after_typing_on_a_draft_asks_and_keeps_the_typing(
    page, live_server, company, call_115, dialogs
):
    start_application(company.company, call_115)
    page.goto(f"{live_server.url}/apply/step/profile/")
    field = type_into(page, "代表人", "王大明")

    page.locator("header").get_by_role("link", name="申請須知").click()

    expect(page).to_have_url(f"{live_server.url}/apply/step/profile/")
    assert dialogs == ["beforeunload"]
    expect(field).to_have_value("王大明")

    page.get_by_role("button", name="儲存會員資料, 下一步").click()
    expect(page).to_have_url(f"{live_server.url}/apply/step/declaration/")
    assert dialogs == ["beforeunload"]  # sending the form does not ask


def test_leaving_an_untouched_page_does_not_ask(page, live_server, company, call_115, dialogs):
    start_application(company.company, call_115)
    page.goto(f"{live_server.url}/apply/step/profile/")
    page.get_by_label("代表人", exact=True).click()

    page.locator("header").get_by_role("link", name="申請須知").click()

    expect(page).to_have_url(f"{live_server.url}/guide/")
    assert dialogs == []


def test_previous_on_a_submitted_applications_update_asks_before_dropping_it(
    page, live_server, company, call_115, dialogs
):
    app = fill_application(start_application(company.company, call_115), company)
    submit_application(app, company)
    page.goto(f"{live_server.url}/apply/step/training-2/")
    field = type_into(page, "資料集主要內容描述", "（補充）")

    page.get_by_role("link", name="上一步").click()

    expect(page).to_have_url(f"{live_server.url}/apply/step/training-2/")
    assert dialogs == ["beforeunload"]
    expect(field).to_have_value(re.compile("（補充）"))


def test_an_update_refused_for_its_errors_asks_before_leaving_without_more_typing(
    page, live_server, company, call_115, dialogs
):
    app = fill_application(start_application(company.company, call_115), company)
    submit_application(app, company)
    page.goto(f"{live_server.url}/apply/step/profile/")
    field = page.get_by_label("專案主持人連絡電話(公司)市話", exact=True)
    field.fill("12-34")
    page.get_by_role("button", name="儲存更新").click()
    expect(page.get_by_text("市話號碼格式不正確").first).to_be_visible()
    assert dialogs == []

    page.get_by_role("link", name="上一步").click()

    expect(page).to_have_url(f"{live_server.url}/apply/step/profile/")
    assert dialogs == ["beforeunload"]
    expect(page.get_by_label("專案主持人連絡電話(公司)市話", exact=True)).to_have_value("12-34")


def test_staying_after_the_question_lets_the_same_button_be_pressed_again(
    page, live_server, company, call_115, dialogs
):
    """A form is sent once (send_once.js ignores a second press while it is on its way), but
    choosing to stay when 登出 asked about the unsaved typing sent nothing: pressing it again
    asks again."""
    start_application(company.company, call_115)
    page.goto(f"{live_server.url}/apply/step/profile/")
    type_into(page, "代表人", "王大明")
    logout = page.locator("header").get_by_role("button", name="登出")

    logout.click()
    expect(page).to_have_url(f"{live_server.url}/apply/step/profile/")
    logout.click()

    expect(page).to_have_url(f"{live_server.url}/apply/step/profile/")
    assert dialogs == ["beforeunload", "beforeunload"]
