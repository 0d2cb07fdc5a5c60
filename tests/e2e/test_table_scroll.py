"""Browser: a table wider than a 375 px screen scrolls sideways inside its .table-wrap, and the
keyboard can reach that scroll box (axe-core's scrollable-region-focusable) even when the table
holds no link to tab to; once the screen is wide enough, the box is an ordinary div again."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from aipower.calls.enums import CategoryKind
from aipower.core import audit
from aipower.deliverables import services as deliverables
from aipower.devtools.staff import create_demo_staff
from tests.deliverables.conftest import ended_allowance
from tests.e2e.accessibility import Accessibility, axe_findings
from tests.e2e.test_review_batch import staff_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator(transactional_db):
    cache.clear()
    staff = {user.username: user for user in create_demo_staff()}
    audit.record("review.batch_frozen", actor=staff["operator"], applications=["AP115-T-0001"])
    yield staff["operator"]
    cache.clear()


def test_table_wrap_that_scrolls_is_a_focusable_named_region(browser, live_server, operator):
    axe = Accessibility()
    page = staff_page(browser, live_server, "operator")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/staff/review/audit/")
    wrap = page.locator(".table-wrap").first

    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).to_have_attribute("role", "region")
    expect(wrap).to_have_attribute("aria-label", "稽核紀錄")
    axe.check(page, "375 px")

    page.set_viewport_size({"width": 1920, "height": 800})
    expect(wrap).not_to_have_attribute("tabindex", "0")
    expect(wrap).not_to_have_attribute("role", "region")

    assert axe.violations == {}
    page.context.close()


def test_two_scrolling_tables_are_named_by_their_own_headings(
    browser, live_server, operator, call_115
):
    axe = Accessibility()
    allowance = ended_allowance(call_115, "04595257", CategoryKind.TRAINING)
    deliverables.record_attendance(
        allowance, attended=True, meeting_on=allowance.ends_on, note="", by=operator
    )
    page = staff_page(browser, live_server, "operator")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/staff/deliverables/{allowance.award_id}/")

    expect(page.get_by_role("region", name="繳交紀錄")).to_have_count(1)
    expect(page.get_by_role("region", name="產品demo會議")).to_have_count(1)
    axe.check(page, "deliverables at 375 px")

    assert axe.violations == {}
    page.context.close()


def test_a_scrolling_table_in_a_section_of_its_name_is_focusable_but_no_second_landmark(
    browser, live_server, call_115
):
    """The guide's model table sits in the section 可使用模型 (aria-labelledby) and is wider
    than 375 px: a region of the same name would be a second landmark called so (axe
    landmark-unique)."""
    context = browser.new_context(locale="zh-TW", bypass_csp=True)
    page = context.new_page()
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/guide/")
    wrap = page.locator("#models .table-wrap")

    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth")
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).not_to_have_attribute("role", "region")
    expect(page.get_by_role("region", name="可使用模型")).to_have_count(1)
    assert axe_findings(page) == []
    context.close()
