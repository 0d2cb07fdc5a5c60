"""Browser, printed: the usage statement on paper shows its print line (company, application,
time printed) and its daily usage table unfolded, without the menu, the trail back or the
buttons; the key list on paper leaves out the form that creates a key."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from aipower.accounts.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, live_server, company):
    user = User.objects.create_user(username=f"c-{company.ubn}", role="company", company=company)
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": session, "url": live_server.url},
            {"name": "django_language", "value": "en", "url": live_server.url},
        ]
    )


def test_usage_statement_on_paper(page, live_server, used_allowance):
    _sign_in(page, live_server, used_allowance.company)
    page.goto(f"{live_server.url}/usage/{used_allowance.pk}/")
    daily_table = page.locator("details table")
    meta = page.locator("#print-meta")
    download = page.get_by_role("link", name="Download usage (CSV)")
    expect(download).to_be_visible()
    expect(page.locator(".breadcrumb")).to_be_visible()
    expect(meta).to_be_hidden()  # on screen: the print line is not shown
    expect(daily_table).to_be_hidden()  # on screen: folded

    page.emulate_media(media="print")

    company = used_allowance.company
    number = used_allowance.award.application.number
    expect(meta).to_be_visible()
    expect(meta).to_contain_text(
        f"Usage details: {company.name} ({company.ubn}); application number {number}; printed at"
    )
    expect(daily_table).to_be_visible()
    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.locator(".breadcrumb")).to_be_hidden()
    expect(page.locator(".header-tools")).to_be_hidden()
    expect(download).to_be_hidden()
    expect(page.locator(".site-header .brand-name")).to_be_visible()  # whose paper this is
    width = page.evaluate("document.documentElement.clientWidth")
    for table in page.locator("main table").all():
        if table.is_visible():
            assert table.bounding_box()["width"] <= width


def test_key_list_on_paper_leaves_out_the_new_key_form(page, live_server, used_allowance):
    _sign_in(page, live_server, used_allowance.company)
    page.goto(f"{live_server.url}/keys/")
    form = page.locator("#key-new-title")
    expect(form).to_be_visible()

    page.emulate_media(media="print")

    expect(form).to_be_hidden()
    expect(page.locator("#print-meta")).to_be_visible()
    expect(page.locator("#key-list-title")).to_be_visible()
