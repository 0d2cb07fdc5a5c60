"""The meeting warns when the points staged exceed what the category's budget has left (the
organiser may still approve: the final amount is theirs), in zh-Hant and English."""

import pytest
from django.urls import reverse

from aipower.calls.models import Tier
from aipower.review import services
from aipower.review.models import Budget

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly
from .test_pages import english

pytestmark = pytest.mark.integration


@pytest.fixture
def staged_l3(app_a, operator, reviewers):
    """app_a staged approved at L3 (6,000 points) with one reviewer (the minimum)."""
    budget = Budget.objects.create(
        category=app_a.call.categories.get(kind="training"), points=5000, minimum_reviewers=1
    )
    make_eligible(app_a, operator)
    (assignment,) = assign_and_declare(app_a, reviewers[:1], operator)
    score_uniformly(assignment, reviewers[0], 90, tier="L3")
    tier = Tier.objects.get(call=app_a.call, code="L3")
    services.stage_decision(app_a, operator, outcome="approved", tier=tier)
    return app_a, budget


def meeting(client, app):
    return client.get(reverse("review:meeting", args=[app.batch_id])).content.decode()


def test_meeting_warns_of_points_over_the_budget(staged_l3, organiser):
    app, _budget = staged_l3

    html = meeting(verified_client(organiser), app)

    warning = '<p class="notice notice-warning" id="over-budget">'
    assert f"{warning}本次擬核發點數超過剩餘預算 1,000 點。</p>" in html


def test_meeting_warning_in_english(staged_l3, organiser):
    app, _budget = staged_l3

    html = meeting(english(verified_client(organiser)), app)

    assert "The points staged now exceed what is left of the budget by 1,000." in html


def test_no_warning_within_the_budget(staged_l3, organiser):
    app, budget = staged_l3
    budget.points = 6000
    budget.save()

    assert 'id="over-budget"' not in meeting(verified_client(organiser), app)
