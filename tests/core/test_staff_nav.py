"""Staff pages carry the staff navigation, not the public site's: per role exactly the sections
the role may open (each of them opens), the current page marked, a way back to the public site."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from aipower.calls.models import Batch

pytestmark = pytest.mark.integration

OPERATOR_NAV = [
    ("工作人員首頁", "/staff/"),
    ("審查梯次", "/staff/review/"),
    ("管理設定", "/admin/"),
    ("稅籍資料與管制名單", "/staff/registry/companies/"),
    ("算力使用概況", "/staff/usage/"),
    ("違規紀錄", "/staff/compliance/"),
    ("成果繳交管理", "/staff/deliverables/"),
    ("產品化調查", "/staff/followup/"),
    ("個人資料請求", "/staff/privacy/"),
    ("寄送郵件紀錄", "/staff/mail/"),
    ("工作人員帳號", "/staff/accounts/"),
    ("稽核紀錄", "/staff/review/audit/"),
]
ORGANISER_NAV = [
    ("工作人員首頁", "/staff/"),
    ("審查梯次", "/staff/review/"),
    ("管理設定（唯讀）", "/admin/"),
    *OPERATOR_NAV[3:],
]
REVIEWER_NAV = [("工作人員首頁", "/staff/"), ("審查案件", "/staff/review/mine/")]
NAVS = {"operator": OPERATOR_NAV, "organiser": ORGANISER_NAV, "reviewer": REVIEWER_NAV}
STAFF_PAGES = [
    "/staff/",
    "/staff/review/",
    "/staff/review/audit/",
    "/staff/registry/companies/",
    "/staff/registry/snapshots/",
    "/staff/registry/imports/",
    "/staff/usage/",
    "/staff/compliance/",
    "/staff/compliance/pledges/",
    "/staff/deliverables/",
    "/staff/followup/",
    "/staff/privacy/",
    "/staff/mail/",
    "/staff/accounts/",
]
NAV_BLOCK = re.compile(r'<nav id="site-nav" class="site-nav staff-nav"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]*)"( aria-current="(\w+)")?>([^<]*)</a>')
BACK_TO_PUBLIC = '<a class="btn btn-sm btn-secondary" href="/">回到公開網站</a>'


def staff_nav(html):
    """(label, url, aria-current) of the staff navigation's links."""
    block = NAV_BLOCK.search(html)
    assert block, "no staff navigation on the page"
    return [(label, url, current) for url, _, current, label in LINK.findall(block.group(1))]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("role", ["operator", "organiser", "reviewer"])
def test_staff_nav_lists_exactly_the_role_sections(staff_client, role):
    html = page(staff_client(role), "/staff/")

    assert [(label, url) for label, url, _ in staff_nav(html)] == NAVS[role]


@pytest.mark.parametrize("role", ["operator", "organiser", "reviewer"])
def test_staff_nav_every_link_opens_for_the_role(staff_client, role):
    client = staff_client(role)

    for _label, url in NAVS[role]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_staff_nav_marks_the_current_page(staff_client):
    html = page(staff_client("operator"), "/staff/compliance/")

    current = [(label, state) for label, _, state in staff_nav(html) if state]
    assert current == [("違規紀錄", "page")]


def test_staff_nav_marks_the_section_of_a_page_inside_it(staff_client):
    html = page(staff_client("operator"), "/staff/registry/snapshots/")

    current = [(label, state) for label, _, state in staff_nav(html) if state]
    assert current == [("稅籍資料與管制名單", "true")]


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/staff/review/audit/", None),
        ("/staff/review/batch/{batch}/", "審查梯次"),
        ("/staff/review/batch/{batch}/meeting/", "審查梯次"),
    ],
)
def test_staff_nav_marks_one_section_where_two_share_the_review_pages(
    staff_client, call_115, url, section
):
    """審查梯次 and 稽核紀錄 are both review pages: a batch's page is inside 審查梯次 only, and
    the audit log is its own page without 審查梯次 marked beside it."""
    batch = Batch.objects.filter(category__call=call_115).first()
    html = page(staff_client("operator"), url.format(batch=batch.pk))

    current = [(label, state) for label, _, state in staff_nav(html) if state]
    if section is None:
        assert current == [("稽核紀錄", "page")]
    else:
        assert current == [(section, "true")]


def test_staff_nav_marks_the_staff_home(staff_client):
    html = page(staff_client("reviewer"), "/staff/")

    assert staff_nav(html)[0] == ("工作人員首頁", "/staff/", "page")


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_show_the_staff_nav_not_the_public_one(staff_client, url):
    html = page(staff_client("operator"), url)

    assert 'aria-label="工作人員選單"' in html
    assert BACK_TO_PUBLIC in html
    assert 'aria-label="主選單"' not in html
    assert "申請須知" not in html
    assert "公告名單" not in html


def test_staff_nav_in_english(staff_client):
    client = staff_client("reviewer")
    client.cookies["django_language"] = "en"

    html = page(client, "/staff/")

    assert [label for label, _, _ in staff_nav(html)] == ["Staff home", "Review cases"]
    assert 'aria-label="Staff menu"' in html
    assert ">Back to the public site</a>" in html
    assert "reviewer (Reviewer)</span>" in html  # half-width brackets in English


def test_staff_login_page_offers_only_the_way_back(db):
    html = page(Client(), reverse("staff:login"))

    assert BACK_TO_PUBLIC in html
    assert 'id="site-nav"' not in html


def test_public_pages_keep_the_public_nav(staff_client):
    html = page(staff_client("operator"), "/")

    assert 'aria-label="主選單"' in html
    assert 'aria-label="工作人員選單"' not in html


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("operator", "/staff/review/"),
        ("reviewer", "/staff/review/mine/"),
        ("operator", "/staff/deliverables/"),
        ("operator", "/staff/followup/"),
    ],
)
def test_staff_section_pages_link_the_staff_home_once_from_the_staff_nav(staff_client, role, url):
    html = page(staff_client(role), url)

    assert html.count('href="/staff/"') == 1
    assert staff_nav(html)[0][:2] == ("工作人員首頁", "/staff/")
    assert '<ol class="breadcrumb">' in html  # the section's own navigation stays
