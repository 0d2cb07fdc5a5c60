"""Browser: a score sheet's typing read back whole. A reviewer whose sheet is refused because
another tab submitted one reads what differs — scores too — within the page, a long comment
wrapped (not one line wider than the screen), on a desk and on a phone; a submitted sheet
printed keeps every line of its comments."""

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

LONG = "本專案之訓練資料集來源說明完整且具體，惟資料清理流程與標註品質控管仍待補充。" * 6


@pytest.fixture
def declared(call_115):
    """A reviewer's assignment, declared free of conflict, its sheet empty."""
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
    return assignment, reviewer


@pytest.mark.parametrize("width", [1280, 375])
def test_a_refused_sheet_shows_what_differs_within_the_page(browser, live_server, declared, width):
    assignment, reviewer = declared
    criteria = list(services.criteria_of(assignment.application))
    page = signed_in(browser, live_server, reviewer, width)
    url = f"{live_server.url}/staff/review/assignment/{assignment.pk}/"
    page.goto(url)  # this tab renders the empty sheet; another one submits meanwhile
    services.save_scores(
        assignment,
        reviewer,
        scores={c.pk: (80, "說明充分") for c in criteria},
        overall_comment="整體可行",
        suggested_tier="L2",
        submit=True,
    )
    for index, criterion in enumerate(criteria):
        page.locator(f"#id_score_{criterion.pk}").fill("55" if index == 0 else "80")
        page.locator(f"#id_comment_{criterion.pk}").fill(LONG if index == 0 else "說明充分")
    page.locator("#id_overall_comment").fill("整體可行")
    page.locator("#id_suggested_tier").select_option("L2")

    page.get_by_role("button", name="送出評分").click()

    table = page.locator("#scores-unsaved-differences")
    expect(table.locator(f"#unsaved-score_{criteria[0].pk}")).to_contain_text("55")
    expect(table.locator(f"#unsaved-comment_{criteria[0].pk}")).to_contain_text(LONG[:20])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    box = table.bounding_box()
    assert box["x"] + box["width"] <= width
    page.context.close()


def test_a_submitted_sheet_prints_every_line_of_its_comments(browser, live_server, declared):
    """A reviewer printing their submitted sheet gets each comment whole: a comment longer
    than its box was cut off at the box's edge on paper."""
    assignment, reviewer = declared
    criteria = list(services.criteria_of(assignment.application))
    long_comment = "\n".join(f"第 {n} 點：{LONG[:30]}" for n in range(1, 16))
    services.save_scores(
        assignment,
        reviewer,
        scores={c.pk: (80, long_comment) for c in criteria},
        overall_comment=long_comment,
        suggested_tier="L2",
        submit=True,
    )
    page = signed_in(browser, live_server, reviewer, 1280)
    page.goto(f"{live_server.url}/staff/review/assignment/{assignment.pk}/")

    page.emulate_media(media="print")

    for name in [f"comment_{criteria[0].pk}", "overall_comment"]:
        box = page.locator(f"#id_{name}")
        expect(box).to_be_disabled()
        sizes = box.evaluate("(e) => [e.scrollHeight, e.clientHeight]")
        assert sizes[0] <= sizes[1] + 1, sizes  # nothing scrolled out of the box
    page.context.close()
