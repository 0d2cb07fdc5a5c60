"""A form sent from a meeting page left open after the list was approved (another tab, another
person) is refused with the reason shown at the top of the meeting: the forms are no longer on
the page, so an error next to them would not be seen."""

import pytest
from django.urls import reverse

from aipower.calls.models import Tier
from aipower.review.models import Decision

from .conftest import verified_client

pytestmark = pytest.mark.integration


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
