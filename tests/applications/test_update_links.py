"""The printable view's 「更新此頁」 / 「編輯此頁」 links: one per page, each named for assistive
technology by the page it opens (「更新此頁：專案主題及使用模型」), so that five links no longer
share one name."""

import html
import re

import pytest
from django.urls import reverse

from aipower.applications import services

from .conftest import fill_application

pytestmark = pytest.mark.integration


def link_texts(page, words):
    """The text content (tags stripped, visually hidden parts included) of every link whose
    text starts with ``words``, in page order."""
    texts = [
        html.unescape(re.sub(r"<[^>]+>", "", inner))
        for inner in re.findall(r"<a [^>]*>(.*?)</a>", page, re.S)
    ]
    return [text for text in texts if text.startswith(words)]


def test_update_links_are_named_by_their_pages(draft, company_user, company_client):
    app = services.submit_application(fill_application(draft, company_user), company_user)

    page = company_client.get(reverse("applications:view", args=[app.pk])).content.decode()

    assert link_texts(page, "更新此頁") == [
        "更新此頁：企業基本資料表及個資同意書",
        "更新此頁：專案主題及使用模型",
        "更新此頁：專案重要性及訓練資料集",
        "更新此頁：預期效益合理性",
        "更新此頁：預計產品化階段說明及其他需求",
    ]
    assert '更新此頁<span class="visually-hidden">：專案主題及使用模型</span>' in page


def test_update_links_are_distinct_in_english(draft, company_user, company_client):
    app = services.submit_application(fill_application(draft, company_user), company_user)
    company_client.cookies["django_language"] = "en"

    page = company_client.get(reverse("applications:view", args=[app.pk])).content.decode()
    texts = link_texts(page, "Update this page")

    assert len(texts) == 5
    assert len(set(texts)) == 5
    assert texts[3] == "Update this page: Expected benefits"


def test_edit_links_of_a_draft_are_named_by_their_pages(draft, company_user, company_client):
    app = fill_application(draft, company_user, "inference")

    page = company_client.get(reverse("applications:view", args=[app.pk])).content.decode()
    texts = link_texts(page, "編輯此頁")

    assert len(texts) == len(set(texts)) == 7
    assert "編輯此頁：切結書" in texts
