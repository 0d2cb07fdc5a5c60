"""Browser: one whole review batch, from eligibility to the published list.

Two companies have submitted (through applications.services, as the wizard does). The operator
freezes the batch, finds 甲 eligible and asks 乙 for a supplement, which 乙 answers on its
dashboard; three reviewers declare conflicts (one declares a conflict on 乙) and score; the
meeting approves 甲 at L2 and not 乙; the organiser approves the list. The public list shows 甲;
甲's dashboard shows the award with 2,000 points and 乙's says 「未獲核定」.

Staff sign in at /staff/login/ with password and TOTP, each in their own browser context (each
has their own device, so no code is used twice). The companies' browser sessions are made with
Django's test client (the card login has its own browser test).
"""

from base64 import b32decode

import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from playwright.sync_api import expect

from aipower.applications.services import start_application, submit_application
from aipower.devtools.staff import DEMO_PASSWORD, DEMO_TOTP_SECRET, create_demo_staff
from aipower.review.models import Budget
from tests.applications.conftest import fill_application, make_company_user, open_now
from tests.e2e.accessibility import Accessibility

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def scene(call_115):
    cache.clear()
    call = open_now(call_115)
    # The demo panel has three reviewers and one steps aside on 乙: the category asks for two.
    Budget.objects.create(
        category=call.categories.get(kind="training"), points=60000, minimum_reviewers=2
    )
    staff = {user.username: user for user in create_demo_staff()}
    companies = {}
    for key, ubn, name in (
        ("a", "04595257", "甲智能股份有限公司"),
        ("b", "10458575", "乙資訊有限公司"),
    ):
        user = make_company_user(ubn, name)
        app = fill_application(start_application(user.company, call), user, "training")
        companies[key] = (user, submit_application(app, user))
    yield {"call": call, "staff": staff, "companies": companies}
    cache.clear()


def staff_page(browser, live_server, username):
    # axe is injected with page.evaluate; bypass_csp keeps that independent of the strict CSP.
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/staff/login/")
    page.get_by_label("帳號", exact=True).fill(username)
    page.get_by_label("密碼", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("驗證碼（TOTP）").fill(f"{totp(b32decode(DEMO_TOTP_SECRET)):06d}")
    page.get_by_role("button", name="登入").click()
    page.wait_for_url(f"{live_server.url}/staff/")
    return page


def company_page(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    context.set_default_timeout(15_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context.new_page()


def open_application(page, number):
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(number)


def score(page, live_server, number, values, tier, axe=None):
    page.goto(f"{live_server.url}/staff/review/mine/")
    page.get_by_role("link", name=number, exact=True).click()
    if axe:
        axe.check(page, "declare")
    page.get_by_label("無利益衝突").check()
    page.get_by_role("button", name="送出聲明").click()
    expect(page.get_by_text("已完成利益迴避聲明")).to_be_visible()
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(str(value))
        name = label.split("（")[0]  # 專案重要性（30%） → its comment box 專案重要性評語
        page.get_by_label(f"{name}評語", exact=True).fill(f"{name}：說明具體")
    page.get_by_label("總評", exact=True).fill("計畫完整，建議核定")
    page.get_by_label("建議級別").select_option(tier)
    if axe:
        axe.check(page, "score")
    page.get_by_role("button", name="送出評分").click()
    expect(page.locator("#scores-locked")).to_be_visible()


TRAINING_LABELS = [
    "專案重要性（30%）",
    "產業應用機會（15%）",
    "訓練資料集（10%）",
    "使用模型及資源需求（20%）",
    "預期效益合理性（15%）",
    "預計產品化階段說明（10%）",
]


def scores(value_a):
    return dict.fromkeys(TRAINING_LABELS, value_a)


def test_one_batch_from_eligibility_to_published_list(browser, live_server, scene):
    (user_a, app_a), (user_b, app_b) = scene["companies"]["a"], scene["companies"]["b"]
    axe = Accessibility()

    # The operator freezes the batch and reviews eligibility.
    operator = staff_page(browser, live_server, "operator")
    operator.get_by_role("main").get_by_role("link", name="審查梯次").click()
    operator.get_by_role("link", name=str(app_a.batch)).click()
    axe.check(operator, "batch")
    operator.once("dialog", lambda dialog: dialog.accept())  # 凍結 asks first
    operator.get_by_role("button", name="凍結梯次").click()
    expect(operator.locator("#frozen-notice")).to_be_visible()

    open_application(operator, app_a.number)
    axe.check(operator, "application")
    operator.get_by_label("資格符合").check()
    operator.get_by_role("button", name="送出資格審查結果").click()
    expect(operator.locator("#application-state")).to_have_text("資格符合")

    operator.go_back()
    operator.go_back()
    operator.reload()
    open_application(operator, app_b.number)
    operator.get_by_label("要求補件").check()
    operator.get_by_label("理由或補件說明").fill("請補充訓練資料集之主要內容描述。")
    operator.get_by_label("專案重要性及訓練資料集").check()
    operator.get_by_role("button", name="送出資格審查結果").click()
    expect(operator.locator("#application-state")).to_have_text("待補件")

    # 乙 answers the supplement on its dashboard.
    company_b = company_page(browser, live_server, user_b)
    company_b.goto(f"{live_server.url}/apply/dashboard/")
    expect(company_b.locator("#application-state")).to_have_text("待補件")
    expect(company_b.locator("#supplement")).to_contain_text("請補充訓練資料集之主要內容描述。")
    axe.check(company_b, "dashboard with supplement")
    company_b.locator("#supplement").get_by_role("link", name="專案重要性及訓練資料集").click()
    company_b.get_by_label("資料集主要內容描述").fill("公開之長照問答資料集，約一萬筆。")
    company_b.get_by_role("button", name="儲存更新").click()
    expect(company_b.get_by_text("已更新申請表（第 2 版）")).to_be_visible()
    company_b.goto(f"{live_server.url}/apply/dashboard/")
    company_b.get_by_role("button", name="補件完成，重新送出").click()
    expect(company_b.locator("#application-state")).to_have_text("已補件，資格審查中")

    # The operator finds 乙 eligible now and assigns three reviewers to each application.
    operator.reload()
    operator.get_by_label("資格符合").check()
    operator.get_by_role("button", name="送出資格審查結果").click()
    expect(operator.locator("#application-state")).to_have_text("資格符合")
    for app in (app_b, app_a):
        operator.goto(f"{live_server.url}/staff/review/application/{app.pk}/")
        for name in ("示範審查委員一", "示範審查委員二", "示範審查委員三"):
            operator.get_by_role("combobox", name="審查委員").select_option(label=name)
            operator.get_by_role("button", name="指派", exact=True).click()
            expect(operator.get_by_text("已指派審查委員")).to_be_visible()
        expect(operator.locator("#assignments tbody tr")).to_have_count(3)

    # Reviewers declare and score; the third declares a conflict on 乙.
    for username, a_value, b_value in (("reviewer1", 90, 60), ("reviewer2", 80, 55)):
        reviewer = staff_page(browser, live_server, username)
        score(reviewer, live_server, app_a.number, scores(a_value), "L2", axe)
        score(reviewer, live_server, app_b.number, scores(b_value), "none")
        reviewer.context.close()
    reviewer3 = staff_page(browser, live_server, "reviewer3")
    score(reviewer3, live_server, app_a.number, scores(85), "L2")
    reviewer3.goto(f"{live_server.url}/staff/review/mine/")
    reviewer3.get_by_role("link", name=app_b.number, exact=True).click()
    reviewer3.get_by_label("有利益衝突，迴避").check()
    reviewer3.get_by_label("迴避理由").fill("曾任該公司顧問")
    reviewer3.get_by_role("button", name="送出聲明").click()
    expect(reviewer3.locator("#conflict-notice")).to_have_text("您已聲明利益迴避，無須審查此案。")
    reviewer3.context.close()

    # The meeting: 甲 approved at L2, 乙 not approved.
    operator.goto(f"{live_server.url}/staff/review/batch/{app_a.batch.pk}/meeting/")
    ranking = operator.locator("#ranking tbody tr")
    expect(ranking.first).to_contain_text(app_a.number)
    row_a = operator.locator(f"#row-{app_a.number}")
    expect(row_a).to_contain_text("85.00")
    axe.check(operator, "meeting")
    row_a.get_by_label("核定通過").check()
    row_a.get_by_label("核定級別").select_option(label="L2（2,000）")
    row_a.get_by_role("button", name="記錄決議").click()
    expect(operator.get_by_text("已記錄審查會議決議")).to_be_visible()
    row_b = operator.locator(f"#row-{app_b.number}")
    row_b.get_by_label("未獲核定").check()
    row_b.get_by_label("決議理由").fill("預期效益不明確")
    row_b.get_by_role("button", name="記錄決議").click()
    expect(operator.locator("#points-staged")).to_have_text("2,000")

    # The organiser approves the list.
    organiser = staff_page(browser, live_server, "organiser")
    organiser.goto(f"{live_server.url}/staff/review/batch/{app_a.batch.pk}/meeting/")
    organiser.once("dialog", lambda dialog: dialog.accept())  # 核定 asks first
    organiser.get_by_role("button", name="核定名單並公告").click()
    expect(organiser.locator("#approved-notice")).to_be_visible()
    expect(organiser.locator("#points-awarded")).to_have_text("2,000")

    # The public list, and each company's dashboard.
    public = company_page(browser, live_server, user_b)
    public.goto(f"{live_server.url}/results/")
    expect(public.get_by_role("cell", name="甲智能股份有限公司")).to_be_visible()
    expect(public.get_by_text("乙資訊有限公司", exact=True)).to_have_count(0)

    company_a = company_page(browser, live_server, user_a)
    company_a.goto(f"{live_server.url}/apply/dashboard/")
    expect(company_a.locator("#application-state")).to_have_text("核定通過")
    expect(company_a.locator("#award")).to_contain_text("L2")
    expect(company_a.locator("#award-points")).to_have_text("2,000")
    axe.check(company_a, "dashboard with award")

    company_b.goto(f"{live_server.url}/apply/dashboard/")
    expect(company_b.locator("#application-state")).to_have_text("未獲核定")
    expect(company_b.locator("#messages")).to_contain_text("預期效益不明確")

    operator.goto(f"{live_server.url}/staff/review/audit/?action=review")
    expect(operator.locator("#audit-entries")).to_contain_text("review.batch_approved")
    axe.check(operator, "audit")
    # Long entries wrap: at 1280 px nothing is wider than the window, and no dict repr shows.
    operator.set_viewport_size({"width": 1280, "height": 800})
    width = operator.evaluate("document.documentElement.scrollWidth")
    assert width <= 1280
    table = operator.evaluate("document.getElementById('audit-entries').scrollWidth")
    assert table <= 1280
    expect(operator.locator("#audit-entries")).not_to_contain_text("{'")
    expect(operator.locator("#audit-entries")).to_contain_text("核定名單並公告")
    assert axe.violations == {}


def test_irreversible_actions_ask_first_and_stop_when_declined(browser, live_server, scene):
    """凍結梯次 and 資格不符 ask (in the page's language) and do nothing when declined; 資格符合
    does not ask."""
    (_user_a, app_a), (_user_b, app_b) = scene["companies"]["a"], scene["companies"]["b"]
    operator = staff_page(browser, live_server, "operator")
    questions = []

    def decline(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    operator.goto(f"{live_server.url}/staff/review/batch/{app_a.batch.pk}/")
    operator.once("dialog", decline)
    operator.get_by_role("button", name="凍結梯次").click()
    expect(operator.locator("#freeze-batch")).to_be_visible()
    expect(operator.locator("#frozen-notice")).to_have_count(0)

    operator.goto(f"{live_server.url}/staff/review/application/{app_b.pk}/")
    state = operator.locator("#application-state").inner_text()
    operator.get_by_label("資格不符").check()
    operator.get_by_label("理由或補件說明").fill("登記營業項目不符")
    operator.once("dialog", decline)
    operator.get_by_role("button", name="送出資格審查結果").click()
    expect(operator.locator("#application-state")).to_have_text(state)
    expect(operator.get_by_label("理由或補件說明")).to_have_value("登記營業項目不符")

    operator.once("dialog", lambda dialog: dialog.accept())
    operator.get_by_role("button", name="送出資格審查結果").click()
    expect(operator.locator("#application-state")).to_have_text("資格不符")

    # 資格符合 goes through without a question (a dialog would be dismissed and stop it).
    operator.goto(f"{live_server.url}/staff/review/application/{app_a.pk}/")
    operator.get_by_label("資格符合").check()
    operator.get_by_role("button", name="送出資格審查結果").click()
    expect(operator.locator("#application-state")).to_have_text("資格符合")

    assert questions[0].startswith("確定凍結本梯次？")
    assert "列入下一梯次" in questions[0]
    assert questions[1].startswith("確定判定此申請案資格不符？")
    assert len(questions) == 2
