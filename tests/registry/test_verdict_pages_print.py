"""The verdict pages read by headings and on paper: the applicant's verdict is a heading (a
screen reader's heading list reaches it), and the applicant's and the staff's company pages
print with whose they are and when, without the links that only work on screen."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from aipower.accounts.enums import Role
from aipower.accounts.roles import sync_role_groups
from aipower.registry.services import import_demo_registry
from tests.applications.conftest import make_company_user, open_now
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def registry(call_115):
    import_demo_registry()
    return open_now(call_115)


def company_page(ubn, name):
    client = Client()
    client.force_login(make_company_user(ubn=ubn, name=name))
    return client.get(reverse("accounts:company")).content.decode()


@pytest.mark.parametrize(
    "ubn,name,title",
    [
        ("84700087", "晴空智能股份有限公司", "符合申請資格"),
        ("96865468", "木棉精密工業股份有限公司", "不符合申請資格"),
        ("04595257", "示範智能股份有限公司", "無法自動查核"),
    ],
)
def test_the_applicants_verdict_is_a_heading(registry, ubn, name, title):
    page = company_page(ubn, name)

    heading = re.search(r'<h2 class="notice-title" id="verdict-title">(.*?)</h2>', page, re.S)
    assert heading is not None
    assert heading.group(1).startswith(title)


def test_the_applicants_company_page_prints_whose_it_is_and_when(registry):
    page = company_page("84700087", "晴空智能股份有限公司")

    meta = page.split('id="print-meta">', 1)[1].split("</p>", 1)[0]
    assert meta.startswith("晴空智能股份有限公司（84700087）；列印時間：")


def test_the_staff_company_page_prints_when_without_its_screen_links(registry, django_user_model):
    user = django_user_model.objects.create_user("operator", password="x" * 16, role=Role.OPERATOR)
    sync_role_groups()
    client = verified_client(user)

    page = client.get("/staff/registry/companies/84700087/").content.decode()

    assert re.search(r'class="print-only print-meta" id="print-meta">列印時間：\d+年', page)
    assert (
        '<p class="no-print"><a href="/admin/registry/listentry/add/?ubn=84700087&amp;from=company"'
        in page
    )
    assert '<span class="no-print">· <a href="/staff/registry/companies/">' in page
