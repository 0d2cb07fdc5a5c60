"""Recording a violation dated outside the award's period: the error names the period as the
rest of the page writes dates — ISO in English, 民國 in zh-Hant."""

import datetime

import pytest
from django.utils import translation

from aipower.calls.enums import CategoryKind
from aipower.compliance.enums import UsageRule
from aipower.compliance.forms import RecordForm
from aipower.grants import services as grants
from tests.grants.conftest import make_award

pytestmark = pytest.mark.integration


def error_for(award, language):
    before = award.starts_on - datetime.timedelta(days=1)
    data = {
        "award": award.pk,
        "rule": UsageRule.PROFIT,
        "occurred_on": before.isoformat(),
        "evidence": "紀錄",
    }
    with translation.override(language):
        form = RecordForm(data)
        assert not form.is_valid()
        return str(form.errors["occurred_on"][0])


def test_the_period_in_the_error_is_written_in_the_pages_language(call_115):
    award = make_award(
        call_115, "10458575", CategoryKind.INFERENCE,
        starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 10, 31),
    )  # fmt: skip
    grants.open_allowance(award)

    assert "2026-08-01" in error_for(award, "en") and "2026-10-31" in error_for(award, "en")
    assert "115年08月01日" in error_for(award, "zh-hant")
