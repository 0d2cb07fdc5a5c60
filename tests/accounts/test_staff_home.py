"""The staff home's link grid: the 審查梯次 card comes first for the operator and the organiser,
described in one line like the other cards (no second 稽核紀錄 link in it)."""

import re

import pytest
from django.urls import reverse

from aipower.accounts.models import User
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def cards(html):
    """(title, description) of each card of the link grid, in order."""
    grid = re.search(r'<div class="card-grid staff-links">(.*?)</div>\s*</nav>', html, re.S)
    return [
        (title, description.strip())
        for title, description in re.findall(
            r'<h2 class="card-title"><a href="[^"]*"[^>]*>([^<]*)</a></h2>\s*<p>([^<]*)</p>',
            grid.group(1),
        )
    ]


def home(role, language="zh-hant"):
    user = User.objects.create_user(username=f"home-{role}", role=role)
    client = verified_client(user)
    client.cookies["django_language"] = language
    return client.get(reverse("staff:home")).content.decode()


@pytest.mark.parametrize("role", ["operator", "organiser"])
def test_staff_home_puts_the_review_batches_card_first_with_its_description(db, role):
    html = home(role)

    listed = cards(html)

    assert listed[0] == ("審查梯次", "各梯次申請案之資格審查、委員評分與核定名單。")
    assert [title for title, _description in listed].count("審查梯次") == 1
    assert [title for title, _description in listed].count("稽核紀錄") == 1
    assert f'href="{reverse("review:index")}" id="link-review-batches"' in html
    assert 'id="link-review-audit"' not in html


def test_staff_home_review_batches_card_in_english(db):
    html = home("operator", language="en")

    assert cards(html)[0] == (
        "Review batches",
        "Each batch's applications: eligibility review, reviewers' scores and the award list.",
    )


def test_staff_home_of_a_reviewer_has_no_review_batches_card(db):
    html = home("reviewer")

    assert 'id="link-review-batches"' not in html


@pytest.mark.parametrize(("language", "stop"), [("zh-hant", "。"), ("en", ".")])
@pytest.mark.parametrize("role", ["operator", "organiser"])
def test_staff_home_descriptions_end_as_sentences(db, role, language, stop):
    listed = cards(home(role, language=language))

    assert len(listed) >= 8
    assert [title for title, description in listed if not description.endswith(stop)] == []
