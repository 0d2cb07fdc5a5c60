"""Browser: a reviewer on a phone (375 px) in English declares and scores one application.

Sending the declaration without a choice asks for one; a score of 150 is refused next to its
field with the score typed kept; a draft is saved; the submission locks the sheet with the
weighted total (two decimals). Nothing is wider than the screen at any step, the browser
reports no Content-Security-Policy violation and axe-core finds nothing on the way.
"""

import pytest
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.applications.services import start_application, submit_application
from aipower.review import services
from aipower.review.models import Budget
from tests.applications.conftest import fill_application, make_company_user, open_now
from tests.e2e.accessibility import Accessibility
from tests.review.helpers import make_eligible

from .test_review_journey_meeting import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def assignment(call_115):
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
    return services.assign_reviewer(app, reviewer, operator), reviewer


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_reviewer_declares_and_scores_on_a_phone_in_english(browser, live_server, assignment):
    assignment, reviewer = assignment
    page = signed_in(browser, live_server, reviewer, 375)
    page.context.clear_cookies(name="django_language")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(f"{live_server.url}/staff/review/mine/")
    page.get_by_role("link", name=assignment.application.number, exact=True).click()
    page.get_by_role("button", name="Submit the declaration").click()
    expect(page.locator(".errorlist")).to_have_text("Say whether you have a conflict of interest")
    assert fits(page)
    axe = Accessibility()
    axe.check(page, "declaration with errors")

    page.get_by_label("No conflict of interest").check()
    page.get_by_role("button", name="Submit the declaration").click()
    page.get_by_label("Project importance (30%)", exact=True).fill("150")
    page.get_by_role("button", name="Save draft").click()
    row = page.locator(".form-row.has-error")
    expect(row).to_contain_text("Please enter a whole number from 0 to 100")
    expect(page.get_by_label("Project importance (30%)", exact=True)).to_have_value("150")
    assert fits(page)
    axe.check(page, "scores with errors")

    for label, value in (
        ("Project importance (30%)", 80),
        ("Industry application opportunities (15%)", 70),
        ("Training data set (10%)", 60),
        ("Models used and resource needs (20%)", 75),
        ("Reasonableness of the expected benefits (15%)", 65),
        ("Planned productisation stage (10%)", 55),
    ):
        page.get_by_label(label, exact=True).fill(str(value))
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#weighted-total")).to_have_text("70.75")
    page.get_by_label("Suggested tier").select_option("L2")
    page.get_by_role("button", name="Submit scores").click()
    # A submission needs every comment: refused next to each box, the scores kept.
    expect(
        page.get_by_text("Write the overall comment before submitting the scores.")
    ).to_be_visible()
    assert fits(page)
    for box in page.locator("textarea[name^=comment_]").all():
        box.fill("Clear and feasible")
    page.get_by_label("Overall comment", exact=True).fill("A sound plan")
    page.get_by_role("button", name="Submit scores").click()

    expect(page.locator("#scores-locked")).to_be_visible()
    expect(page.get_by_label("Project importance (30%)", exact=True)).to_be_disabled()
    assert fits(page)
    axe.check(page, "scores locked")
    assert violations == []
    assert axe.violations == {}
    page.context.close()
