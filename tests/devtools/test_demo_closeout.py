"""The demo's after-the-period company: 北港軟體's training award ended ten days ago, its service
expired, its deliverables open and its pledges waiting for the operator. Idempotent."""

import datetime

import pytest
from django.utils import timezone

from aipower.compliance.enums import PledgeState
from aipower.compliance.models import Pledge
from aipower.deliverables import services as deliverables
from aipower.devtools.demo import load_demo_call
from aipower.devtools.demo_closeout import CLOSEOUT_UBN, load_demo_closeout
from aipower.devtools.demo_review import period_start
from aipower.grants.models import Allowance, AllowanceState
from aipower.review.services import period_end

pytestmark = pytest.mark.integration


def test_closeout_demo_has_an_expired_award_with_deliverables_and_pledges(db):
    load_demo_call()

    first = load_demo_closeout()
    second = load_demo_closeout()

    assert first == second
    assert first.company.ubn == CLOSEOUT_UBN
    assert first.application.number == "AP115-T-0001"
    # Ten days ago, the end of a period of the call's months (a few days a year no period ends
    # on: then the day before, ``period_start``).
    ended = timezone.localdate() - datetime.timedelta(days=10)
    months = first.application.call.validity_months
    assert first.ends_on == period_end(period_start(ended, months), months)
    assert first.ends_on == period_end(first.starts_on, months)
    allowance = Allowance.objects.get(award=first)
    assert allowance.state == AllowanceState.EXPIRED
    assert deliverables.is_open(allowance)
    assert sorted(Pledge.objects.filter(award=first).values_list("field", "state")) == [
        ("dataset_github_url", PledgeState.PENDING),
        ("model_huggingface_url", PledgeState.PENDING),
    ]
