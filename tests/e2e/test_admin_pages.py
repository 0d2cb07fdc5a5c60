"""Browser: the Django admin's pages as the operator uses them — an add form pressed twice saves
one object (core/js/send_once.js, loaded by admin/base_site.html as by the site's pages), and the
tables of tabular inlines, the index, a change list and add forms pass axe-core at every impact
(tests.e2e.accessibility, as the site's pages do)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from aipower.calls.models import Announcement
from aipower.devtools.staff import create_demo_staff
from tests.e2e.accessibility import axe_findings
from tests.e2e.test_review_batch import staff_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def operator(browser, live_server, call_115):
    cache.clear()
    create_demo_staff()
    page = staff_page(browser, live_server, "operator")
    yield page
    page.context.close()
    cache.clear()


def test_admin_add_form_pressed_twice_saves_one_object(live_server, operator):
    """A double click on 儲存 sent the add form twice: the browser gave up on the first sending
    for the second, but on a network the server has both by then and saved two announcements."""
    page = operator
    held = []

    def hold_posts(route):
        if route.request.method == "POST":
            held.append(route)
        else:
            route.continue_()

    page.route("**/admin/calls/announcement/add/", hold_posts)
    refused = []  # what the strict Content-Security-Policy blocked, as the console says it
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Security Policy" in message.text else 0,
    )
    answer = page.goto(f"{live_server.url}/admin/calls/announcement/add/")
    assert "script-src 'self';" in answer.headers["content-security-policy"]
    page.locator("#id_title_zh").fill("系統維護公告")
    page.locator("#id_body_zh").fill("本週六凌晨系統維護。")
    page.locator("#id_published_on").fill("2026-11-29")
    button = page.get_by_role("button", name="儲存", exact=True)
    button.scroll_into_view_if_needed()
    box = button.bounding_box()

    # The mouse and keyboard themselves: a locator would wait for the first sending's page.
    with page.expect_request(lambda request: request.method == "POST"):
        page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.keyboard.press("Enter")  # the button keeps the focus: a third press
    for _ in range(50):  # until the route handler has the first sending (no fixed wait)
        if held:
            break
        page.evaluate("0")
    # Every sending the browser made reaches the server; the browser is answered the last.
    answers = [route.fetch(max_redirects=0) for route in held]
    held[-1].fulfill(response=answers[-1])

    expect(page.locator("ul.messagelist")).to_contain_text("系統維護公告")
    assert Announcement.objects.filter(title_zh="系統維護公告").count() == 1
    assert len(held) == 1
    assert refused == []


def test_admin_tabular_inlines_have_no_empty_table_header(live_server, operator, call_115):
    """The column over each row's object name (and the 刪除 one where rows cannot be deleted)
    had an empty header (axe empty-table-header, minor), read out as a nameless column."""
    page = operator
    category = call_115.categories.order_by("order").first()
    pages = {
        "call (級距)": f"/admin/calls/call/{call_115.pk}/change/",
        "category (審查梯次, 審查重點)": f"/admin/calls/category/{category.pk}/change/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("div.tabular table").first).to_be_visible()
        found[name] = axe_findings(page)

    assert found == {name: [] for name in pages}


def test_admin_index_change_list_and_add_form_pass_axe_at_every_impact(live_server, operator):
    page = operator
    found = {}
    for path in (
        "/admin/",
        "/admin/calls/call/",
        "/admin/calls/announcement/add/",
        "/admin/registry/listentry/add/",
    ):
        page.goto(f"{live_server.url}{path}")
        found[path] = axe_findings(page)

    assert found == {path: [] for path in found}
