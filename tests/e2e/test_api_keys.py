"""Browser: 山嵐資訊 creates an API key on its page, calls the inference API with it (the
openai SDK, through the site to the mock model server), and its usage page shows the tokens."""

import datetime

import openai
import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from aipower.accounts.models import Company, User
from aipower.devtools.demo_grants import grant_inference_award
from aipower.gateway.core import public_model_id
from aipower.gateway.models import ApiKey
from aipower.gateway.services import route_model, upstream
from aipower.grants.models import Allowance
from tests.e2e.accessibility import Accessibility

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.gateway.urls")]


@pytest.fixture
def mock_llm():
    from aipower.devtools.mockllm import MockServer, Settings
    from tests.gateway.conftest import free_port

    server = MockServer(port=free_port(), settings=Settings(latency_ms=0, tokens=64)).start()
    yield server
    server.stop()


@pytest.fixture
def awarded_company(call_115, mock_llm):
    company = Company.objects.create(ubn="52880483", name="山嵐資訊有限公司")
    model = call_115.models.filter(offered_inference=True).order_by("order").first()
    route_model(model, upstream("mock", mock_llm.base_url, timeout=5))
    today = timezone.localdate()
    award = grant_inference_award(
        company,
        call_115,
        points=1000,
        models=[model],
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )
    return company, award, model


def _sign_in(page, live_server, company):
    user = User.objects.create_user(username=f"c-{company.ubn}", role="company", company=company)
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_api_key_created_used_and_usage_shown(page, live_server, awarded_company):
    company, award, model = awarded_company
    _sign_in(page, live_server, company)

    page.goto(f"{live_server.url}/keys/")
    page.get_by_label("金鑰名稱").fill("正式環境")
    page.get_by_role("button", name="建立金鑰").click()
    secret = page.locator("#key-secret").inner_text().strip()
    assert secret.startswith("sk-aipower-")

    with openai.OpenAI(
        base_url=f"{live_server.url}/v1", api_key=secret, max_retries=0, timeout=10
    ) as client:
        response = client.chat.completions.create(
            model=public_model_id(model),
            messages=[{"role": "user", "content": "你好"}],
            max_tokens=20,
        )
    tokens = response.usage.prompt_tokens + response.usage.completion_tokens
    assert response.usage.completion_tokens == 20

    page.goto(f"{live_server.url}/keys/")
    row = page.locator("#key-table tbody tr").first
    expect(row).to_contain_text("正式環境")
    expect(row).to_contain_text("有效")
    expect(row).not_to_contain_text("尚未使用")
    assert secret not in page.content()

    allowance = Allowance.objects.get(award=award)
    page.goto(f"{live_server.url}/usage/{allowance.pk}/")
    model_row = page.get_by_role("row", name=model.display_name)
    expect(model_row).to_contain_text(f"{tokens:,}")
    expect(model_row).to_contain_text("1")
    # Support traces a request by the id the SDK returned (x-request-id).
    request_row = page.locator("#requests").get_by_role("row", name=response._request_id)
    expect(request_row).to_contain_text("/v1/chat/completions")
    expect(request_row).to_contain_text(str(response.usage.completion_tokens))


def test_api_key_secret_shown_once_and_reload_creates_no_second_key(
    page, live_server, awarded_company
):
    from aipower.gateway.models import ApiKey

    company, _award, _model = awarded_company
    _sign_in(page, live_server, company)
    long_name = "k" * 100
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/keys/")
    page.get_by_label("金鑰名稱").fill(long_name)
    page.get_by_role("button", name="建立金鑰").click()
    expect(page.locator("#key-created-title")).to_be_visible()
    expect(page.locator(".key-created")).to_contain_text("此金鑰僅顯示一次。")
    secret = page.locator("#key-secret").inner_text().strip()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.reload()

    reloaded_width = page.evaluate("document.documentElement.scrollWidth")
    reloaded_secret = page.locator("#key-secret").count(), secret in page.content()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name=f"撤銷金鑰「{long_name}」").click()
    expect(page.locator(".messages")).to_contain_text(f"已撤銷金鑰「{long_name}」。")

    assert (width, reloaded_width) == (1280, 1280)
    assert page.evaluate("document.documentElement.scrollWidth") == 1280
    assert reloaded_secret == (0, False)
    expect(page.locator("#key-table tbody tr")).to_have_count(1)
    assert ApiKey.objects.filter(company=company).count() == 1


def test_api_key_revoked_only_after_confirming(page, live_server, awarded_company):
    from aipower.gateway.services import create_key

    company, award, _model = awarded_company
    key, _secret = create_key(company, award, "測試環境")
    _sign_in(page, live_server, company)
    page.goto(f"{live_server.url}/keys/")
    revoke = page.get_by_role("button", name="撤銷金鑰「測試環境」")
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    revoke.click()
    expect(page.locator(f"#key-{key.pk}")).to_contain_text("有效")
    key.refresh_from_db()
    assert key.revoked_at is None
    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()

    expect(page.locator(f"#key-{key.pk}")).to_contain_text("已撤銷")
    assert questions == [
        "確定撤銷金鑰「測試環境」？撤銷後無法復原，使用此金鑰之程式將無法再呼叫 API。"
    ]
    key.refresh_from_db()
    assert key.revoked_at is not None


def test_a_second_click_while_the_key_is_being_created_keeps_its_secret_shown(
    page, live_server, awarded_company
):
    """A second click of 建立金鑰 before the answer came used to send the form again: the
    server found the key already made (the form's one-time token) and the browser showed that
    answer — 「金鑰僅於建立時顯示一次」 — instead of the one holding the secret."""
    company, _award, _model = awarded_company
    _sign_in(page, live_server, company)
    held = []
    # The answer is held until both clicks are made.
    page.route("**/keys/new/", lambda route: held.append(route))
    page.goto(f"{live_server.url}/keys/")
    page.get_by_label("金鑰名稱").fill("正式環境")
    button = page.get_by_role("button", name="建立金鑰")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    # The mouse and keyboard themselves: a locator would wait for the first sending's page.
    with page.expect_request("**/keys/new/"):
        page.mouse.click(x, y)
    page.mouse.click(x, y)
    page.keyboard.press("Enter")
    held[0].continue_()

    expect(page.locator("#key-secret")).to_contain_text("sk-aipower-")
    assert len(held) == 1
    assert ApiKey.objects.filter(company=company).count() == 1


def test_key_pages_pass_axe(browser, live_server, awarded_company):
    company, _award, _model = awarded_company
    # axe is injected with page.evaluate; bypass_csp keeps that independent of the strict CSP.
    context = browser.new_context(locale="zh-TW", timezone_id="Asia/Taipei", bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    _sign_in(page, live_server, company)
    axe = Accessibility()

    page.goto(f"{live_server.url}/keys/")
    axe.check(page, "no key")
    page.get_by_label("金鑰名稱").fill("   ")
    page.get_by_role("button", name="建立金鑰").click()
    expect(page.locator(".errorlist")).to_contain_text("請輸入金鑰名稱。")
    axe.check(page, "with errors")
    page.get_by_label("金鑰名稱").fill("正式環境")
    page.get_by_role("button", name="建立金鑰").click()
    expect(page.locator("#key-secret")).to_contain_text("sk-aipower-")
    axe.check(page, "secret shown")
    page.goto(f"{live_server.url}/keys/")
    expect(page.locator("#key-table tbody tr")).to_have_count(1)
    axe.check(page, "one key")
    context.close()

    assert axe.violations == {}
