"""The site's own 403 and 404 pages (with the header, in the visitor's language, a way on)
and a 500 page that needs no database or request context."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from aipower.accounts.models import User
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def test_404_is_the_sites_page(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "找不到頁面" in html
    assert 'href="/sitemap/"' in html
    assert 'class="site-header' in html or "<header" in html


def test_404_in_english(db):
    client = Client()
    client.cookies["django_language"] = "en"

    html = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Page not found" in html


def test_403_leads_staff_back_to_their_home(db):
    reviewer = User.objects.create_user(username="rev", password="x", role="reviewer")

    response = verified_client(reviewer).get("/staff/compliance/")

    assert response.status_code == 403
    html = response.content.decode()
    assert "沒有權限" in html
    assert 'href="/staff/"' in html


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")

    assert "系統發生錯誤" in html
    assert "Server error" in html


def test_500_page_marks_its_english_words_as_english():
    html = render_to_string("500.html")

    # A screen reader reads 「Home」 with an English voice, not the page's Chinese one.
    assert '回首頁 / <span lang="en">Home</span>' in html
