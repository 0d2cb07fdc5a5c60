"""Browser: axe-core on every page of the application wizard, both categories.

Each step is checked as a newcomer sees it (empty at first, with answers, with validation
errors), then the page after submission, the receipt, the dashboard and the printable view.
No axe-core violation is allowed, whatever its impact.
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from aipower.applications import flow
from aipower.applications.models import Application
from aipower.applications.services import start_application
from aipower.devtools.demo import shift_call_to_now
from tests.applications.conftest import fill_application, make_company_user
from tests.e2e.accessibility import Accessibility

pytestmark = pytest.mark.django_db(transaction=True)

CATEGORY_LABELS = {"training": "模型訓練類", "inference": "模型推論類"}


@pytest.fixture
def a11y_page(browser):
    # axe is injected with page.evaluate; bypass_csp keeps that independent of the strict CSP.
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


@pytest.mark.parametrize("category", ["training", "inference"])
def test_every_wizard_page_has_no_accessibility_violations(
    a11y_page, live_server, call_115, category
):
    page = a11y_page
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    axe = Accessibility()

    # A newcomer: the dashboard before anything, then the empty first page.
    page.goto(f"{live_server.url}/apply/dashboard/")
    axe.check(page, "dashboard (no application)")
    page.goto(f"{live_server.url}/apply/")
    axe.check(page, "start page")
    page.get_by_role("button", name="開始填寫").click()
    expect(page).to_have_url(f"{live_server.url}/apply/step/category/")
    axe.check(page, "category (empty)")
    page.goto(f"{live_server.url}/apply/dashboard/")
    axe.check(page, "dashboard (draft)")

    # Every step with the seed's example answers.
    app = fill_application(start_application(user.company, call_115), user, category)
    steps = [step for step in flow.applicable_steps(app) if step.identifier != "done"]
    for step in steps:
        page.goto(f"{live_server.url}/apply/step/{step.identifier}/")
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe.check(page, step.identifier)
    page.goto(f"{live_server.url}/apply/{app.pk}/view/")
    axe.check(page, "printable view (draft)")

    # Validation errors next to the fields.
    page.goto(f"{live_server.url}/apply/step/profile/")
    page.get_by_label("專案主持人連絡電話(公司)市話", exact=True).fill("12345")
    page.get_by_role("button", name="儲存會員資料, 下一步").click()
    expect(page.locator("#row-pi_phone .errorlist")).to_be_visible()
    axe.check(page, "profile (with errors)")
    page.get_by_label("專案主持人連絡電話(公司)市話", exact=True).fill("02 12345678#123")
    page.get_by_role("button", name="儲存會員資料, 下一步").click()
    expect(page).to_have_url(f"{live_server.url}/apply/step/declaration/")
    page.goto(f"{live_server.url}/apply/step/{category}-1/?check=1")
    axe.check(page, f"{category}-1 (checked)")

    # Submission and the pages after it.
    page.goto(f"{live_server.url}/apply/step/pledge/")
    page.get_by_role("button", name="送出，並完成申請").click()
    expect(page.get_by_role("heading", name="您已完成申請表單")).to_be_visible()
    axe.check(page, "done")
    app = Application.objects.get()
    assert app.is_submitted
    page.goto(f"{live_server.url}/apply/{app.pk}/receipt/")
    axe.check(page, "receipt")
    page.goto(f"{live_server.url}/apply/dashboard/")
    axe.check(page, "dashboard (submitted)")
    page.goto(f"{live_server.url}/apply/{app.pk}/view/")
    axe.check(page, "printable view (submitted)")
    page.goto(f"{live_server.url}/apply/step/category/")
    axe.check(page, "category (after submission, read-only)")
    page.goto(f"{live_server.url}/apply/step/{category}-1/")
    axe.check(page, f"{category}-1 (update after submission)")

    assert len(axe.checked) == len(steps) + 13
    assert axe.violations == {}, CATEGORY_LABELS[category]
