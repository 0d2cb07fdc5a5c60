"""The staff home lists what the review has waiting for the user: the organiser's lists to
approve, the reviewer's assignments to score."""

import re

import pytest
from django.urls import reverse

from aipower.review import services
from tests.conftest import verified_client

from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


def test_organiser_home_lists_the_batch_awaiting_approval(app_a, operator, organiser, reviewers):
    services.freeze_batch(app_a.batch, operator)
    make_eligible(app_a, operator)
    for assignment in assign_and_declare(app_a, reviewers, operator):
        score_uniformly(assignment, assignment.reviewer, 80)
    home = verified_client(organiser)
    assert "目前沒有待核定之名單。" in home.get(reverse("staff:home")).content.decode()

    services.stage_decision(app_a, operator, outcome="not_approved", reasons="效益不明確")
    html = home.get(reverse("staff:home")).content.decode()

    assert reverse("review:meeting", args=[app_a.batch.pk]) in html
    assert "待核定 1 件" in html


def test_reviewer_home_lists_assignments_to_score(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment, _other, _third) = assign_and_declare(app_a, reviewers, operator)

    html = verified_client(reviewers[0]).get(reverse("staff:home")).content.decode()

    assert reverse("review:assignment", args=[assignment.pk]) in html
    assert app_a.number in html
    score_uniformly(assignment, reviewers[0], 80)
    html = verified_client(reviewers[0]).get(reverse("staff:home")).content.decode()
    assert "目前沒有待評分之案件。" in html


def _approve_line(html):
    return re.search(r"(</a>[^<]*approval|</a>[^<]*件)</p>", html).group(1)


def test_organiser_home_in_english_separates_batch_and_count_with_an_english_colon(
    app_a, operator, organiser, reviewers
):
    services.freeze_batch(app_a.batch, operator)
    make_eligible(app_a, operator)
    for assignment in assign_and_declare(app_a, reviewers, operator):
        score_uniformly(assignment, assignment.reviewer, 80)
    services.stage_decision(app_a, operator, outcome="not_approved", reasons="效益不明確")
    english = verified_client(organiser)
    english.cookies["django_language"] = "en"

    html = english.get(reverse("staff:home")).content.decode()
    chinese = verified_client(organiser).get(reverse("staff:home")).content.decode()

    assert _approve_line(html) == "</a>: 1 decision awaiting approval"
    assert _approve_line(chinese) == "</a>：待核定 1 件"
