"""Browser: the operator opens 算力使用概況 from the staff navigation, filters it and downloads
its CSV; no accessibility violations, and at 375 px only the tables scroll sideways."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from aipower.calls.enums import CategoryKind
from aipower.devtools.staff import create_demo_staff
from aipower.grants import services
from tests.e2e.accessibility import Accessibility
from tests.e2e.test_review_batch import staff_page
from tests.grants.conftest import make_award


@pytest.fixture
def demo_staff(transactional_db):
    cache.clear()
    yield create_demo_staff()
    cache.clear()


def test_the_usage_overview(browser, live_server, demo_staff, call_115):
    inference = make_award(call_115, "12345675", CategoryKind.INFERENCE)
    services.open_allowance(inference)
    services.open_allowance(make_award(call_115, "04595257", CategoryKind.TRAINING, points=2000))
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")

    page.get_by_role("navigation", name="工作人員選單").get_by_role(
        "link", name="算力使用概況"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("算力使用概況")
    expect(page.locator("#usage-awards tbody tr")).to_have_count(2)
    axe.check(page, "overview")

    page.get_by_label("申請類別").select_option(label="模型訓練類")
    page.get_by_role("button", name="篩選").click()
    expect(page.locator("#usage-awards tbody tr")).to_have_count(1)
    expect(page.locator("#usage-awards tbody tr")).to_contain_text("115-T-04595257")
    with page.expect_download() as download:
        page.get_by_role("link", name="下載 CSV").click()
    assert download.value.suggested_filename.startswith("usage-115-")

    page.set_viewport_size({"width": 375, "height": 800})
    axe.check(page, "375 px")
    sideways = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    assert sideways is False
    assert axe.violations == {}
    page.context.close()
