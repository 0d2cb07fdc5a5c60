"""The demo round: open today for the demo call, seen by 北港軟體 (its award ended 10 days ago)."""

import pytest

from aipower.devtools.demo_closeout import load_demo_closeout
from aipower.followup import services
from aipower.followup.demo import DEMO_TITLE, load_demo_followup
from aipower.followup.models import Round

pytestmark = pytest.mark.integration


def test_demo_round_covers_beigang_and_is_idempotent(call_115):
    award = load_demo_closeout()

    round_ = load_demo_followup()
    again = load_demo_followup()

    assert round_ == again
    assert Round.objects.count() == 1
    assert round_.title == DEMO_TITLE
    standing = services.company_standing(round_, award.company_id)
    assert standing.accepting is True
    assert standing.allowance.company.name == "北港軟體股份有限公司"
