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


def test_reviewer_home_with_nothing_to_score_links_the_sheets_sent(app_a, operator, reviewers):
    """A reviewer whose sheets are all sent (the demo's reviewer1) was told only 「目前沒有待評
    分之案件」 and to declare conflicts first: nothing said where the sent sheets are."""
    make_eligible(app_a, operator)
    (assignment, _other, _third) = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(assignment, reviewers[0], 80)
    client = verified_client(reviewers[0])

    html = client.get(reverse("staff:home")).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("staff:home")).content.decode()

    link = re.search(r'<a href="([^"]+)" id="link-submitted-assignments">([^<]+)</a>', html)
    assert link.groups() == (reverse("review:mine"), "已送出之評分表 1 件")
    assert "請先就每件案件聲明利益迴避，再進行評分。" not in html
    assert ">1 score sheet sent</a>" in english


def test_reviewer_home_with_a_sheet_to_score_reminds_to_declare_conflicts_first(
    app_a, operator, reviewers
):
    make_eligible(app_a, operator)
    assign_and_declare(app_a, reviewers, operator)

    html = verified_client(reviewers[0]).get(reverse("staff:home")).content.decode()

    assert "請先就每件案件聲明利益迴避，再進行評分。" in html
    assert "link-submitted-assignments" not in html
