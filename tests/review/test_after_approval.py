"""After the organiser approved a batch's list, its decisions stand: the points of an award
cannot be changed through the meeting's 調整點數 any more (the award would disagree)."""

import pytest
from django.urls import reverse

from aipower.review import services
from aipower.review.models import Award, Decision

from .conftest import verified_client

pytestmark = pytest.mark.integration


def test_override_after_approval_is_refused(approved, organiser):
    decision = Decision.objects.get(application=approved)

    with pytest.raises(services.ReviewError) as refused:
        services.override_points(decision, organiser, points=6000, reason="加碼")

    assert str(refused.value) == "名單核定後不得調整點數"
    decision.refresh_from_db()
    assert (decision.points, decision.points_override) == (1000, None)
    assert Award.objects.get(application=approved).points == 1000


def test_override_post_after_approval_says_why_and_changes_nothing(approved, organiser):
    client = verified_client(organiser)

    response = client.post(
        reverse("review:application_override", args=[approved.pk]),
        {f"o{approved.pk}-points": "6000", f"o{approved.pk}-reason": "加碼"},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["名單核定後不得調整點數"]
    assert Decision.objects.get(application=approved).points_override is None
