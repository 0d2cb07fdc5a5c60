"""The staff's print page of an application has a trail back on screen (hidden on paper): a
reviewer who opened it from the score sheet (列印申請表) had no link back to the sheet or to
我的審查案件, only the browser's back button; the operator and organiser go back to the
application's page in its batch."""

import re

import pytest
from django.urls import reverse

from aipower.review import services

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible

pytestmark = pytest.mark.integration


def _trail(html):
    nav = re.search(r'<nav aria-label="[^"]*" class="breadcrumb-nav">(.*?)</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav.group(1))


def test_a_reviewers_print_page_leads_back_to_the_score_sheet(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    (assignment, _other, _third) = assign_and_declare(app_a, reviewers, operator)

    html = (
        verified_client(reviewers[0])
        .get(reverse("review:application_print", args=[app_a.pk]))
        .content.decode()
    )

    assert _trail(html) == [
        (reverse("review:mine"), "我的審查案件"),
        (reverse("review:assignment", args=[assignment.pk]), f"評分 {app_a.number}"),
    ]


def test_the_organisers_print_page_leads_back_to_the_application(app_a, operator, organiser):
    make_eligible(app_a, operator)

    html = (
        verified_client(organiser)
        .get(reverse("review:application_print", args=[app_a.pk]))
        .content.decode()
    )

    assert _trail(html) == [
        (reverse("review:index"), "審查梯次"),
        (reverse("review:batch", args=[app_a.batch.pk]), services.batch_label(app_a.batch)),
        (reverse("review:application", args=[app_a.pk]), app_a.number),
    ]
