"""The meeting's 決議 cell names the points only where they are not the tier's, and labelled:
it read 「核定通過 L1（1,000） 1,000」, a bare number repeating the tier's points (the demo's
two meetings); points the organiser adjusted read 「L2（2,000）（核發 2,400 點）」."""

import re

import pytest
from django.urls import reverse

from aipower.calls.models import Tier
from aipower.review import services
from aipower.review.models import Decision

from .conftest import verified_client
from .helpers import full_review

pytestmark = pytest.mark.integration


def _decision(client, app):
    html = client.get(reverse("review:meeting", args=[app.batch_id])).content.decode()
    cell = html.split(f'id="row-{app.number}"')[1].split('class="decision">')[1].split("</p>")[0]
    return re.sub(r"<[^>]+>", "", cell)


def test_the_decision_names_adjusted_points_only(app_a, operator, organiser, reviewers):
    full_review([app_a], operator, reviewers)
    tier = Tier.objects.get(call=app_a.call, code="L2")
    services.stage_decision(app_a, operator, outcome="approved", tier=tier)
    client = verified_client(organiser)

    assert _decision(client, app_a) == "核定通過 L2（2,000）"

    decision = Decision.objects.get(application=app_a)
    services.override_points(decision, organiser, points=2400, reason="加碼")
    adjusted = _decision(client, app_a)
    client.cookies["django_language"] = "en"

    assert adjusted == "核定通過 L2（2,000）（核發 2,400 點）（調整理由：加碼）"
    assert _decision(client, app_a).startswith("Approved L2 (2,000) (2,400 points awarded)")
