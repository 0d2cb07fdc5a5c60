"""The staff's pages of one application have titles of their own: the printable view (whose
title is also the name a browser gives the PDF it saves) is not titled like the review page."""

import re

import pytest
from django.urls import reverse

from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def title(client, url):
    html = client.get(url).content.decode()
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_printable_view_and_review_page_have_different_titles(app_a, operator):
    client = verified_client(operator)

    review = title(client, reverse("review:application", args=[app_a.pk]))
    printable = title(client, reverse("review:application_print", args=[app_a.pk]))

    assert app_a.number in printable
    assert f"{app_a.call.year}年算力平台使用申請書" in printable
    assert printable != review
