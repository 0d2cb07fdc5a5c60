"""Browser: forms sent back with errors, driven by the keyboard alone (beyond what axe checks).

The reviewer's declaration and score sheet move the focus to an error summary whose links lead
to the fields, as the wizard does; a group of options with an error (a fieldset of radio
buttons) is described by its message, as a single field is.
"""

import re

import pytest
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.applications import flow
from aipower.applications.services import start_application
from aipower.devtools.demo import shift_call_to_now
from tests.applications.conftest import fill_application, make_company_user, save_page

from .test_review_journey_meeting import meeting, signed_in  # noqa: F401  (the fixture)
from .test_review_journey_reviewer import assignment  # noqa: F401  (the fixture)
from .test_wizard_a11y import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_forms_with_errors_lead_the_keyboard_to_the_fields(
    browser,
    live_server,
    assignment,  # noqa: F811
):
    assignment, reviewer = assignment
    page = signed_in(browser, live_server, reviewer, 1280)
    page.goto(f"{live_server.url}/staff/review/assignment/{assignment.pk}/")

    # The declaration without a choice: the summary has the focus, its link the first option.
    page.get_by_role("button", name="送出聲明").press("Enter")
    summary = page.get_by_role("alert").filter(has_text="請修正下列欄位")
    expect(summary).to_be_focused()
    group = page.get_by_role("group", name="利益迴避聲明")
    expect(group).to_have_accessible_description(re.compile("請選擇有無利益衝突"))
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link", name="利益迴避聲明")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("無利益衝突")).to_be_focused()
    page.keyboard.press("Space")
    page.get_by_role("button", name="送出聲明").press("Enter")

    # The score sheet with a score out of range: the same, to the score's field.
    score = page.get_by_label("專案重要性（30%）", exact=True)
    score.fill("150")
    page.get_by_role("button", name="儲存草稿").press("Enter")
    summary = page.get_by_role("alert").filter(has_text="請修正下列欄位")
    expect(summary).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(score).to_be_focused()
    expect(score).to_have_attribute("aria-invalid", "true")
    expect(score).to_have_accessible_description(re.compile("請輸入 0 至 100 之整數分數"))


def test_wizard_option_group_with_an_error_is_described_by_it(page, live_server, call_115):
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    start_application(user.company, call_115)
    page.goto(f"{live_server.url}/apply/step/category/")

    page.get_by_role("button", name="下一步").press("Enter")

    group = page.get_by_role("group", name="請選擇申請類別")
    expect(group).to_have_accessible_description(re.compile("請選擇申請類別"))


def test_key_form_with_an_error_focuses_the_field_and_says_so_in_the_title(
    page, live_server, used_allowance
):
    user = User.objects.create_user(username="c", role="company", company=used_allowance.company)
    sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/keys/")
    expect(page).to_have_title("API 金鑰 | AI算力平台")

    page.get_by_role("button", name="建立金鑰").press("Enter")

    name = page.get_by_label("金鑰名稱")
    expect(name).to_be_focused()
    expect(name).to_have_accessible_description(re.compile("請輸入金鑰名稱"))
    expect(page).to_have_title("錯誤：API 金鑰 | AI算力平台")


def test_meeting_decision_with_an_error_focuses_its_field(
    browser,
    live_server,
    meeting,  # noqa: F811
):
    operator, (first, _second) = meeting
    page = signed_in(browser, live_server, operator, 1280)
    page.goto(f"{live_server.url}/staff/review/batch/{first.batch_id}/meeting/")

    row = page.locator(f"#row-{first.number}")
    row.get_by_label("未獲核定").check()
    row.get_by_role("button", name="記錄決議").press("Enter")

    reasons = page.locator(f"#row-{first.number}").get_by_role("textbox")
    expect(reasons).to_be_focused()
    expect(reasons).to_have_accessible_description(re.compile("未獲核定須填寫理由"))
    expect(page).to_have_title(re.compile("^錯誤：審查會議"))


def test_english_wizard_step_with_an_error_says_so_in_the_title(page, live_server, call_115):
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    start_application(user.company, call_115)
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/apply/step/category/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    title = page.title()
    assert not title.startswith("Error")

    page.get_by_role("button", name="Next").press("Enter")

    expect(page).to_have_title(f"Error: {title}")


def test_wizard_page_titles_name_the_step_and_its_place(page, live_server, call_115):
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    start_application(user.company, call_115)

    page.goto(f"{live_server.url}/apply/step/category/")
    total = page.get_by_role("navigation", name="申請步驟").get_by_role("listitem").count()
    expect(page).to_have_title(f"請選擇申請類別（第 1 步，共 {total} 步） | AI算力平台")

    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.reload()
    expect(page).to_have_title(re.compile(rf"\(step 1 of {total}\) \| "))


def test_login_and_wizard_start_pages_have_different_titles(page, live_server, call_115):
    shift_call_to_now(call_115)
    page.goto(f"{live_server.url}/login/")
    login_title = page.title()

    sign_in(page, live_server, make_company_user())
    page.goto(f"{live_server.url}/apply/")

    heading = page.get_by_role("heading", level=1).inner_text()
    expect(page).to_have_title(f"{heading} | AI算力平台")
    assert page.title() != login_title


@pytest.mark.parametrize(("width", "text_size"), [(320, "100%"), (1280, "200%")])
def test_wizard_steps_reflow_without_sideways_scrolling(
    page, live_server, call_115, width, text_size
):
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    fill_application(start_application(user.company, call_115), user, "training")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/apply/step/pledge/")
    # The text size the browser's settings would give (200 % text-only zoom).
    page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")

    steps = page.locator(".steps")
    assert steps.evaluate("list => list.scrollWidth <= list.clientWidth")
    for item in steps.get_by_role("listitem").all():
        box = item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_outcome_message_after_a_form_has_the_focus(
    browser,
    live_server,
    meeting,  # noqa: F811
):
    operator, (first, _second) = meeting
    page = signed_in(browser, live_server, operator, 1280)
    page.goto(f"{live_server.url}/staff/review/batch/{first.batch_id}/meeting/")

    page.get_by_role("button", name="設定使用期間起日").press("Enter")

    status = page.get_by_role("status").filter(has_text="已設定使用期間起日")
    expect(status).to_be_focused()
    # The keyboard goes on from there: the next stop is in the page's content, not the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


# Each field marked invalid is described by an error message (its own or its group's fieldset),
# and each error message (outside the summary) describes a field.
ERRORS_LINKED = r"""() => {
  const describedBy = element => (element.getAttribute("aria-describedby") || "").split(/\s+/);
  const isError = id => id && document.getElementById(id)?.classList.contains("errorlist");
  const unlinkedFields = [...document.querySelectorAll('main [aria-invalid="true"]')]
    .filter(field => {
      const group = field.closest("fieldset[aria-describedby]");
      const ids = [...describedBy(field), ...(group ? describedBy(group) : [])];
      return !ids.some(isError);
    })
    .map(field => field.name);
  const unlinkedErrors = [...document.querySelectorAll("main .errorlist")]
    .filter(list => !list.closest(".error-summary"))
    .filter(list => !list.id || !document.querySelector(`[aria-describedby~="${list.id}"]`))
    .map(list => list.textContent.trim());
  const invalid = document.querySelectorAll('main [aria-invalid="true"]').length;
  return { invalid, unlinkedFields, unlinkedErrors };
}"""


@pytest.mark.parametrize("category", ["training", "inference"])
def test_every_wizard_error_is_linked_to_its_field(page, live_server, call_115, category):
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    app = save_page(
        start_application(user.company, call_115), user, "category", {"category": category}
    )

    checked = 0
    for step in flow.applicable_steps(app):
        if step.identifier == "done":
            continue
        # ?check=1: the page as its check shows it, every empty required answer in error.
        page.goto(f"{live_server.url}/apply/step/{step.identifier}/?check=1")
        result = page.evaluate(ERRORS_LINKED)
        assert result["unlinkedFields"] == [], (step.identifier, result)
        assert result["unlinkedErrors"] == [], (step.identifier, result)
        checked += result["invalid"]
    assert checked > 50  # the empty application's pages did show their errors


def test_an_exclusive_option_says_which_options_it_unticked(page, live_server, call_115):
    shift_call_to_now(call_115)
    user = make_company_user()
    sign_in(page, live_server, user)
    fill_application(start_application(user.company, call_115), user, "training")
    page.goto(f"{live_server.url}/apply/step/training-4/")
    shown = page.get_by_role("checkbox", name="產品對外有演示：成果展示會或公開場合展示過")
    if not shown.is_checked():
        shown.focus()
        page.keyboard.press("Space")

    none_yet = page.get_by_role("checkbox", name="以上皆無，尚在開發階段")
    none_yet.focus()
    page.keyboard.press("Space")

    expect(shown).not_to_be_checked()
    expect(page.locator("#wizard-announcement")).to_have_text(
        re.compile("^已取消勾選：.*產品對外有演示：成果展示會或公開場合展示過")
    )
    expect(page.locator("#wizard-announcement")).to_have_attribute("role", "status")
