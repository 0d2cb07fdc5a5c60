"""The reviewer's forms say what is wrong in the review's own words: a score out of range or
not a number gets the same message as a missing one at submission (請輸入 0 至 100 之整數分數,
not Django's generic wording), with what was typed kept; a declaration without a choice asks
for one; each criterion's name shows once above its score (the fieldset's legend is for
screen readers)."""

import re

import pytest
from django.urls import reverse

from aipower.review import services
from aipower.review.models import Score

from .conftest import verified_client
from .helpers import make_eligible
from .test_pages import english, field_row

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("typed", ["150", "-1", "八十"])
def test_bad_score_says_the_review_message_and_keeps_the_input(scoring, typed):
    assignment, criteria, client = scoring
    first, second = criteria[:2]

    response = client.post(
        reverse("review:assignment", args=[assignment.pk]),
        {f"score_{first.pk}": typed, f"score_{second.pk}": "80", "save": ""},
    )

    assert response.status_code == 400
    html = response.content.decode()
    row = field_row(html, f"score_{first.pk}")
    assert "請輸入 0 至 100 之整數分數" in row
    assert f'value="{typed}"' in row
    assert 'value="80"' in field_row(html, f"score_{second.pk}")
    assert not Score.objects.filter(assignment=assignment).exists()


def test_bad_score_in_english(scoring):
    assignment, criteria, client = scoring

    response = english(client).post(
        reverse("review:assignment", args=[assignment.pk]),
        {f"score_{criteria[0].pk}": "101", "save": ""},
    )

    assert "Please enter a whole number from 0 to 100" in field_row(
        response.content.decode(), f"score_{criteria[0].pk}"
    )


def test_declaration_without_a_choice_asks_for_one(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    assignment = services.assign_reviewer(app_a, reviewers[0], operator)

    response = verified_client(reviewers[0]).post(
        reverse("review:assignment", args=[assignment.pk]), {"reason": ""}
    )

    assert response.status_code == 400
    assert "請選擇有無利益衝突" in field_row(response.content.decode(), "conflict")


def test_each_criterion_name_shows_once(scoring):
    assignment, _criteria, client = scoring

    html = client.get(reverse("review:assignment", args=[assignment.pk])).content.decode()

    form = re.search(r'<form method="post" novalidate id="score-sheet".*?</form>', html, re.S)
    form = form.group(0)
    assert '<legend class="visually-hidden">專案重要性（30%）</legend>' in form
    assert form.count("專案重要性（30%）") == 2  # the hidden legend and the visible label
