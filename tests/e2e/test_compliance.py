"""Browser: 山嵐資訊's key is used from Hong Kong and refused; the operator finds the refusal on
the compliance page, records the violation from it (the form filled in with the evidence) and
suspends the service; the company's API key is refused at once (403 service_suspended). axe-core
checks the compliance pages."""

import datetime
import re

import httpx
import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from aipower.accounts.models import Company
from aipower.devtools.demo_grants import grant_inference_award
from aipower.devtools.staff import create_demo_staff
from aipower.gateway.services import create_key
from aipower.grants.models import Allowance, AllowanceState
from tests.e2e.accessibility import Accessibility
from tests.e2e.test_review_batch import staff_page

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def suspended_setting(call_115):
    cache.clear()
    create_demo_staff()
    company = Company.objects.create(ubn="52880483", name="山嵐資訊有限公司")
    today = timezone.localdate()
    award = grant_inference_award(
        company,
        call_115,
        points=1000,
        models=list(call_115.models.filter(offered_inference=True)[:1]),
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=90),
    )
    _key, secret = create_key(company, award, "正式環境")
    yield award, secret
    cache.clear()


def test_operator_records_a_violation_from_a_refused_connection_and_suspends_the_service(
    browser, live_server, suspended_setting, settings
):
    award, secret = suspended_setting
    settings.TRUSTED_PROXIES = ["127.0.0.1/32"]
    models_url = f"{live_server.url}/v1/models"
    headers = {"Authorization": f"Bearer {secret}"}
    assert httpx.get(models_url, headers=headers, trust_env=False).status_code == 200
    from_hong_kong = httpx.get(
        models_url, headers={**headers, "X-Forwarded-For": "202.45.84.58"}, trust_env=False
    )
    assert from_hong_kong.json()["error"]["code"] == "unsupported_country_region_territory"
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")

    page.get_by_role("main").get_by_role("link", name="違規紀錄").click()
    expect(page.get_by_role("heading", name="違規紀錄", level=1)).to_be_visible()
    refusal = page.locator("#region-refusals tbody tr", has_text="正式環境")
    expect(refusal).to_contain_text("香港")
    expect(refusal).to_contain_text("202.45.84.58")
    axe.check(page, "index")
    refusal.get_by_role("link", name="記錄違規").click()
    expect(page.get_by_label("核定結果")).to_have_value(str(award.pk))
    expect(
        page.get_by_label("透過任何方式串接本平台至中港澳之遠端IP位置使用之行為。")
    ).to_be_checked()
    expect(page.get_by_label("發生日期")).to_have_value(timezone.localdate().isoformat())
    expect(page.get_by_label("事證說明")).to_have_value(re.compile("202.45.84.58"))
    axe.check(page, "record")
    page.get_by_role("button", name="記錄").click()

    expect(page.locator(".messages")).to_contain_text("已記錄違規紀錄 #")
    expect(page.locator("#violation-facts")).to_contain_text("第 2 點")
    expect(page.locator("#violation-facts")).to_contain_text("自香港之位址連線本平台 1 次")
    expect(page.locator("#allowance-state")).to_have_text("使用中")
    expect(page.get_by_label("終止算力服務")).to_have_count(0)  # a first, ordinary violation
    axe.check(page, "detail")
    page.get_by_label("暫停現有服務").check()
    page.get_by_label("處分說明").fill("依使用規範第 2 點暫停服務。")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="確定處分").click()
    expect(page.locator("#decide-form")).to_be_visible()
    assert Allowance.objects.get(award=award).state == AllowanceState.ACTIVE
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="確定處分").click()

    expect(page.locator(".messages")).to_contain_text("已確定處分：暫停現有服務。")
    expect(page.locator("#violation-decision")).to_contain_text("暫停現有服務")
    assert questions == ["確定執行所選處分？處分確定後無法撤回；終止算力服務後亦無法恢復服務。"]
    expect(page.locator("#allowance-state")).to_have_text("暫停使用")
    assert Allowance.objects.get(award=award).state == AllowanceState.SUSPENDED
    refused = httpx.get(models_url, headers=headers, trust_env=False)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "service_suspended"
    assert axe.violations == {}
