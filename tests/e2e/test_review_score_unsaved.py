"""Browser: a reviewer leaving the score sheet with typed scores not saved is asked first (the
breadcrumb, the header's links and closing the tab dropped the typing without a word); 儲存草稿
and 送出評分 never ask, and an untouched sheet is left without a question."""

import pytest
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.applications.services import start_application, submit_application
from aipower.review import services
from aipower.review.models import Budget
from tests.applications.conftest import fill_application, make_company_user, open_now
from tests.review.helpers import make_eligible

from .test_review_journey_meeting import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sheet(browser, live_server, call_115):
    """The reviewer's score page (declared free of conflict), its dialogs dismissed (the
    reviewer chooses to stay) and listed."""
    call = open_now(call_115)
    Budget.objects.create(
        category=call.categories.get(kind="training"), points=60000, minimum_reviewers=1
    )
    operator = User.objects.create_user(username="op", role="operator")
    reviewer = User.objects.create_user(username="rev", role="reviewer")
    user = make_company_user("04595257", "甲智能股份有限公司")
    app = submit_application(
        fill_application(start_application(user.company, call), user, "training"), user
    )
    make_eligible(app, operator)
    assignment = services.assign_reviewer(app, reviewer, operator)
    services.declare_conflict(assignment, reviewer, has_conflict=False)
    page = signed_in(browser, live_server, reviewer, 1280)
    dialogs = []

    def stay(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    url = f"{live_server.url}/staff/review/assignment/{assignment.pk}/"
    page.goto(url)
    first = services.criteria_of(app).first()
    yield page, url, dialogs, page.locator(f"#id_score_{first.pk}")
    page.context.close()


def test_leaving_a_sheet_with_typed_scores_asks_and_keeps_them(sheet):
    page, url, dialogs, score = sheet
    score.fill("85")

    page.locator("main").get_by_role("link", name="我的審查案件").click()

    expect(page).to_have_url(url)
    assert dialogs == ["beforeunload"]
    expect(score).to_have_value("85")

    page.get_by_role("button", name="儲存草稿").click()
    expect(page.get_by_text("評分草稿已儲存")).to_be_visible()
    assert dialogs == ["beforeunload"]  # saving does not ask


def test_leaving_an_untouched_sheet_does_not_ask(sheet):
    page, url, dialogs, score = sheet
    score.click()

    page.locator("main").get_by_role("link", name="我的審查案件").click()

    expect(page).not_to_have_url(url)
    assert dialogs == []
