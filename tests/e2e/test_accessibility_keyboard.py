"""Browser: the pages people use most, driven by the keyboard alone (beyond what axe checks).

Every stop the Tab key makes shows the site's focus ring, including the calendar button inside a
date field; a form sent back with errors moves the focus to its summary, whose links lead to the
fields, and each field with an error is marked invalid and described by its message.
"""

import pytest
from django.test import Client
from playwright.sync_api import expect

from aipower.accounts.models import User
from aipower.calls.enums import CategoryKind
from tests.deliverables.conftest import PDF, ended_allowance
from tests.e2e.network import throttle_uploads
from tests.e2e.test_deliverables import _company_session

from .test_idle_warning import idle_since

pytestmark = pytest.mark.django_db(transaction=True)

# The focused element's ring (site.css): an outline or a box shadow, as the browser computes it.
FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  return {
    id: element.id,
    ring: style.outlineStyle !== "none" || style.boxShadow !== "none",
  };
}"""


@pytest.fixture
def idle_signed_in(page, live_server, settings, used_allowance):
    """The key page of a company, signed in with a 10-minute idle limit, on Playwright's clock."""
    settings.IDLE_SIGN_OUT_SECONDS = {"staff": 1800, "company": 600}
    settings.IDLE_WARNING_SECONDS = 120
    user = User.objects.create_user(username="c", role="company", company=used_allowance.company)
    key = _sign_in(page, live_server, user)
    page.clock.install()
    page.goto(f"{live_server.url}/keys/")
    return key


def _sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return client.cookies["sessionid"].value


def test_every_tab_stop_of_the_key_form_shows_the_focus_ring(page, live_server, used_allowance):
    user = User.objects.create_user(username="c", role="company", company=used_allowance.company)
    _sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/keys/")

    page.get_by_label("金鑰名稱").focus()
    stops = []
    for _ in range(12):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_RING)
        stops.append(stop)
        if stop["id"] not in ("id_expires_on", "id_name"):
            break
    # The date field takes several stops (its parts, then its calendar button): each one ringed.
    assert sum(stop["id"] == "id_expires_on" for stop in stops) >= 2
    assert [stop for stop in stops if not stop["ring"]] == []
    expect(page.get_by_label("每分鐘請求上限")).to_be_focused()


def test_usage_detail_title_names_the_allowance(page, live_server, used_allowance):
    user = User.objects.create_user(username="c", role="company", company=used_allowance.company)
    _sign_in(page, live_server, user)
    page.goto(f"{live_server.url}/usage/{used_allowance.pk}/")

    heading = page.get_by_role("heading", level=1).inner_text()
    assert "模型推論類" in heading
    expect(page).to_have_title(f"使用明細：{heading} | AI算力平台")


def test_idle_warning_takes_the_focus_to_its_button_and_gives_it_back(page, idle_signed_in):
    header_link = page.get_by_role("link", name="首頁")
    header_link.focus()
    idle_since(idle_signed_in, 500)
    page.clock.fast_forward("08:01")

    keep = page.get_by_role("button", name="繼續使用")
    expect(keep).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#idle-warning")).to_be_hidden()
    expect(header_link).to_be_focused()


def test_idle_warning_leaves_the_focus_in_a_field_being_typed_in(page, idle_signed_in):
    name = page.get_by_label("金鑰名稱")
    name.focus()
    idle_since(idle_signed_in, 500)
    page.clock.fast_forward("08:01")

    expect(page.locator("#idle-warning")).to_be_visible()
    expect(name).to_be_focused()


def test_upload_by_keyboard_moves_the_focus_to_cancel_and_back(
    page, live_server, call_115, settings, tmp_path
):
    settings.DELIVERABLES_ROOT = tmp_path / "deliverables"
    allowance = ended_allowance(call_115, "04595257", CategoryKind.TRAINING, days_ago=5)
    _company_session(page, live_server, allowance.company)
    page.goto(f"{live_server.url}/deliverables/")
    throttle_uploads(page, 65_536)
    report = page.locator(f"#item-{allowance.award_id}-report")
    big_pdf = PDF + b"%" + b"0" * 1_200_000 + b"\n%%EOF\n"
    report.get_by_label("上傳檔案").set_input_files(
        {"name": "結案報告.pdf", "mimeType": "application/pdf", "buffer": big_pdf}
    )

    submit = report.get_by_role("button", name="繳交結案報告")
    submit.press("Enter")
    cancel = report.get_by_role("button", name="取消上傳")
    expect(cancel).to_be_focused()
    page.keyboard.press("Enter")

    expect(report.get_by_role("status")).to_have_text("已取消上傳，檔案沒有送出。")
    expect(submit).to_be_focused()


def test_usage_meter_is_a_named_meter_with_its_value(page, live_server, used_allowance):
    user = User.objects.create_user(username="c", role="company", company=used_allowance.company)
    _sign_in(page, live_server, user)

    for path in ("/usage/", f"/usage/{used_allowance.pk}/"):
        page.goto(f"{live_server.url}{path}")
        meter = page.get_by_role("meter", name="點數使用比例")
        expect(meter).to_have_attribute("aria-valuenow", str(used_allowance.used_percent))
        # 2.5 of 1,000 points: something used, less than one percent (not "0%").
        expect(meter).to_have_attribute("aria-valuetext", "已使用 <1%")
    # The daily chart's figures are also a table (text alternative), behind its summary.
    page.get_by_text("每日用量表").press("Enter")
    expect(page.get_by_role("table").filter(has_text="2.5").first).to_be_visible()


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_footer_stacks_with_large_text_in_a_wide_window(page, live_server, call_115, language):
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/guide/")
    # The text size the browser's settings would give (200 % text-only zoom).
    page.evaluate("document.documentElement.style.fontSize = '200%'")

    values = page.locator(".site-footer .footer-dl dd")
    assert values.count() >= 3
    for value in values.all():
        # Room for at least ten characters a line (it was squeezed to two or three).
        assert value.evaluate(
            "dd => dd.clientWidth >= 10 * parseFloat(getComputedStyle(dd).fontSize)"
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280


def test_idle_warning_never_covers_the_focused_element(page, idle_signed_in):
    page.set_viewport_size({"width": 1280, "height": 600})
    name = page.get_by_label("金鑰名稱")
    name.focus()  # typing: the warning leaves the focus here
    idle_since(idle_signed_in, 500)
    page.clock.fast_forward("08:01")
    box = page.locator("#idle-warning")
    expect(box).to_be_visible()

    covered = []
    for _ in range(20):
        page.keyboard.press("Tab")
        if box.evaluate("box => box.contains(document.activeElement)"):
            break
        focused = page.evaluate(
            """() => {
              const r = document.activeElement.getBoundingClientRect();
              const b = document.getElementById("idle-warning").getBoundingClientRect();
              const overlaps = r.bottom > b.top && r.top < b.bottom
                && r.right > b.left && r.left < b.right;
              return overlaps ? document.activeElement.outerHTML.slice(0, 80) : null;
            }"""
        )
        if focused:
            covered.append(focused)
    assert covered == []
