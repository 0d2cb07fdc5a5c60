"""Browser: the meeting's ranked table at a desk (1280 px) and on a phone (375 px).

Each application's figures take one row and the meeting's form a full-width row below it, so
the radio labels (核定通過, 未獲核定) are not squeezed a character per line and the 記錄決議
button stays within the visible part of the table, on both widths; a decision recorded there
shows in the application's row. The meeting page with an error passes axe-core.
"""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.applications.services import start_application, submit_application
from aipower.review.models import Budget
from tests.applications.conftest import fill_application, make_company_user, open_now
from tests.e2e.accessibility import axe_findings
from tests.review.helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def meeting(call_115):
    """Two applications of one batch, scored 80 and 70 by one reviewer (the minimum)."""
    call = open_now(call_115)
    Budget.objects.create(
        category=call.categories.get(kind="training"), points=60000, minimum_reviewers=1
    )
    operator = User.objects.create_user(username="op", role="operator")
    reviewer = User.objects.create_user(username="rev", role="reviewer")
    apps = []
    companies = (("04595257", "甲智能股份有限公司", 80), ("10458575", "乙資訊有限公司", 70))
    for ubn, name, value in companies:
        user = make_company_user(ubn, name)
        app = submit_application(
            fill_application(start_application(user.company, call), user, "training"), user
        )
        make_eligible(app, operator)
        (assignment,) = assign_and_declare(app, [reviewer], operator)
        score_uniformly(assignment, reviewer, value)
        apps.append(app)
    return operator, apps


def signed_in(browser, live_server, user, width):
    """A browser context signed in as ``user`` with a verified second factor."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    context = browser.new_context(
        locale="zh-TW", timezone_id="Asia/Taipei", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


@pytest.mark.parametrize("width", [1280, 375])
def test_meeting_forms_fit_the_window(browser, live_server, meeting, width):
    operator, (first, _second) = meeting
    page = signed_in(browser, live_server, operator, width)

    page.goto(f"{live_server.url}/staff/review/batch/{first.batch_id}/meeting/")

    row = page.locator(f"#row-{first.number}")
    label = row.get_by_text("核定通過", exact=True)
    box = label.bounding_box()
    assert box["width"] > box["height"]  # one line, not one character per line
    button = row.get_by_role("button", name="記錄決議")
    assert button.bounding_box()["x"] + button.bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    row.get_by_label("核定通過").check()
    row.get_by_label("核定級別").select_option(label="L2（2,000）")
    button.click()

    expect(page.get_by_text("已記錄審查會議決議")).to_be_visible()
    decision = page.locator(f"#row-{first.number} .decision")
    expect(decision).to_have_text("核定通過 L2（2,000）")
    page.context.close()


def test_reopen_reason_is_wide_enough_on_a_phone(browser, live_server, meeting):
    """The application page's 開放修改理由 keeps a usable width at 375 px (the table scrolls)."""
    operator, (first, _second) = meeting
    page = signed_in(browser, live_server, operator, 375)

    page.goto(f"{live_server.url}/staff/review/application/{first.pk}/")

    reason = page.locator("#assignments").get_by_label("開放修改理由")
    assert reason.bounding_box()["width"] >= 150
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_operator_sets_the_awards_first_day_on_the_meeting(
    browser, live_server, meeting, width
):
    """使用期間起日 is the operator's (spec): a day already past is refused next to the field
    with what was typed kept; a later day is kept and shown."""
    import datetime

    from django.utils import timezone

    operator, (first, _second) = meeting
    page = signed_in(browser, live_server, operator, width)
    page.goto(f"{live_server.url}/staff/review/batch/{first.batch_id}/meeting/")
    field = page.locator("#award-start").get_by_label("使用期間起日")

    field.fill("2020-01-01")
    page.get_by_role("button", name="設定使用期間起日").click()
    expect(page.locator("#award-start")).to_contain_text("使用期間起日不得早於今日")
    expect(field).to_have_value("2020-01-01")
    assert axe_findings(page) == []
    later = timezone.localdate() + datetime.timedelta(days=3)
    field.fill(later.isoformat())
    page.get_by_role("button", name="設定使用期間起日").click()

    expect(page.get_by_text("已設定使用期間起日")).to_be_visible()
    expect(field).to_have_value(later.isoformat())
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert axe_findings(page) == []
    page.context.close()


def test_the_meeting_table_prints_as_a_handout_without_the_forms(browser, live_server, meeting):
    """Printed before the list is approved (the committee's handout), the ranked table keeps
    every application's figures and says when it was printed; the decision forms, the awards'
    first day and the approval are left off the paper (they printed as empty boxes)."""
    operator, (first, second) = meeting
    page = signed_in(browser, live_server, operator, 1280)
    page.goto(f"{live_server.url}/staff/review/batch/{first.batch_id}/meeting/")
    expect(page.locator(".decision-form").first).to_be_visible()
    expect(page.locator("#print-meta")).to_be_hidden()

    page.emulate_media(media="print")

    for app in (first, second):
        expect(page.locator(f"#row-{app.number} .scores")).to_be_visible()
        expect(page.locator(f"#row-{app.number} .decision-form")).to_be_hidden()
    expect(page.locator("#award-start")).to_be_hidden()
    expect(page.locator("#print-meta")).to_be_visible()
    expect(page.locator("#print-meta")).to_contain_text("列印時間：")
    page.context.close()
