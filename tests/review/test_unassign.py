"""取消指派: the operator withdraws a reviewer who has not submitted (unavailable, or assigned
by mistake), so the meeting no longer waits for them — before, one absent reviewer blocked the
application's decision for good. A reviewer who submitted cannot be withdrawn."""

import pytest
from django.urls import reverse

from aipower.core.models import AuditEntry
from aipower.review import services
from aipower.review.models import Assignment, Budget, Score

from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration


@pytest.fixture
def two_of_three(app_a, operator, reviewers):
    """Three reviewers (minimum two): the first two submitted, the third saved a draft only."""
    Budget.objects.create(
        category=app_a.call.categories.get(kind="training"), points=10000, minimum_reviewers=2
    )
    make_eligible(app_a, operator)
    first, second, third = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(first, reviewers[0], 80)
    score_uniformly(second, reviewers[1], 70)
    score_uniformly(third, reviewers[2], 60, submit=False)
    return app_a, first, third


def unassign(client, assignment):
    return client.post(reverse("review:assignment_unassign", args=[assignment.pk]), follow=True)


def test_withdrawn_reviewer_no_longer_blocks_the_decision(two_of_three, operator):
    app, _first, third = two_of_three
    with pytest.raises(services.ReviewError, match="尚有審查委員未送出評分"):
        services.stage_decision(app, operator, outcome="not_approved", reasons="x")

    response = unassign(verified_client(operator), third)

    assert [str(m) for m in response.context["messages"]] == ["已取消指派審查委員"]
    assert not Assignment.objects.filter(pk=third.pk).exists()
    assert not Score.objects.filter(assignment_id=third.pk).exists()
    entry = AuditEntry.objects.get(action="review.unassigned")
    assert (entry.data["reviewer"], entry.data["draft_scores"]) == ("rev3", 6)
    decision = services.stage_decision(app, operator, outcome="not_approved", reasons="x")
    assert decision.outcome == "not_approved"


def test_reviewer_who_submitted_cannot_be_withdrawn(two_of_three, operator):
    _app, first, _third = two_of_three

    response = unassign(verified_client(operator), first)

    assert [str(m) for m in response.context["messages"]] == ["審查委員已送出評分，不得取消指派"]
    assert Assignment.objects.filter(pk=first.pk).exists()


def test_application_page_offers_withdrawal_only_before_submission(two_of_three, operator):
    app, first, third = two_of_three

    html = verified_client(operator).get(reverse("review:application", args=[app.pk]))
    html = html.content.decode()

    assert reverse("review:assignment_unassign", args=[third.pk]) in html
    assert reverse("review:assignment_unassign", args=[first.pk]) not in html
    assert 'data-confirm="確定取消指派rev3？其評分草稿將一併刪除。"' in html
