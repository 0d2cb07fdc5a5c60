"""A form sent from a meeting page left open after the list was approved (another tab, another
person) is refused with the reason shown at the top of the meeting: the forms are no longer on
the page, so an error next to them would not be seen."""

import pytest
from django.urls import reverse

from aipower.calls.models import Tier
from aipower.review import services
from aipower.review.models import Decision

from .conftest import verified_client
from .test_services import full_review

pytestmark = pytest.mark.integration


@pytest.fixture
def approved(app_a, operator, organiser, reviewers):
    full_review([app_a], operator, reviewers)
    tier = Tier.objects.get(call=app_a.call, code="L1")
    services.stage_decision(app_a, operator, outcome="approved", tier=tier)
    services.approve_batch(app_a.batch, organiser)
    return app_a


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_decision_after_approval_says_why(approved, operator):
    prefix = f"d{approved.pk}"
    tier = Tier.objects.get(call=approved.call, code="L3")

    response = verified_client(operator).post(
        reverse("review:application_decision", args=[approved.pk]),
        {f"{prefix}-outcome": "approved", f"{prefix}-tier": tier.pk},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("review:meeting", args=[approved.batch_id]), 302)]
    assert messages_of(response) == ["此申請案目前不在專業審查階段"]
    assert Decision.objects.get(application=approved).tier.code == "L1"


def test_second_approval_says_why(approved, organiser):
    response = verified_client(organiser).post(
        reverse("review:batch_approve", args=[approved.batch_id]), {}, follow=True
    )

    assert response.redirect_chain == [(reverse("review:meeting", args=[approved.batch_id]), 302)]
    assert messages_of(response) == ["此梯次名單已核定"]
