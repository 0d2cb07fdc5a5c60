"""The audit entries of the review's staff actions no other test read: the organiser's 調整點數
and the operator's 提醒未完成之審查委員, each naming who, which object and what changed."""

import pytest
from django.urls import reverse

from aipower.core.models import AuditEntry
from aipower.review.models import Decision

from . import test_pages
from .conftest import verified_client
from .helpers import assign_and_declare, make_eligible, score_uniformly

pytestmark = pytest.mark.integration

staged = test_pages.staged  # the fixture: app_a scored and staged approved at L2


def test_points_overridden_on_the_meeting_page_are_audited(staged, organiser):
    before = Decision.objects.get(application=staged).points
    prefix = f"o{staged.pk}"

    response = verified_client(organiser).post(
        reverse("review:application_override", args=[staged.pk]),
        {f"{prefix}-points": "5000", f"{prefix}-reason": "預算調整"},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="review.points_overridden")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        organiser,
        "applications.Application",
        str(staged.pk),
    )
    assert (entry.data["before"], entry.data["after"], entry.data["reason"]) == (
        before,
        5000,
        "預算調整",
    )


def test_reviewers_reminded_from_the_batch_page_are_audited(app_a, operator, reviewers):
    make_eligible(app_a, operator)
    first, _second, _third = assign_and_declare(app_a, reviewers, operator)
    score_uniformly(first, reviewers[0], 80)

    response = verified_client(operator).post(reverse("review:batch_remind", args=[app_a.batch_id]))

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="review.reviewers_reminded")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        operator,
        "calls.Batch",
        str(app_a.batch_id),
    )
    assert entry.data["reviewers"] == ["rev2", "rev3"]
