"""Model names (the admin's page titles, breadcrumbs and lists) write the Asia/Taipei day of
their moment: the daily jobs run just after midnight in Taipei, the day before in UTC."""

import datetime

import pytest

from aipower.accounts.models import Company, Enrolment, User
from aipower.applications.models import Application
from aipower.compliance.models import InactivityNotice, WatchEntry
from aipower.core.models import AuditEntry
from aipower.deliverables.models import Submission
from aipower.grants.models import Allowance
from aipower.privacy.models import DataRequest
from aipower.registry.models import RecordedVerdict
from aipower.review.models import SupplementRequest

pytestmark = pytest.mark.unit

# 00:05 on 28 November 2026 in Taipei (the daily jobs' time): 16:05 UTC on the 27th.
JUST_AFTER_MIDNIGHT = datetime.datetime(2026, 11, 27, 16, 5, tzinfo=datetime.UTC)


def company():
    return Company(name="示範公司", ubn="84700087")


def instances():
    allowance = Allowance(
        company=company(),
        kind="inference",
        starts_on=datetime.date(2026, 9, 1),
        ends_on=datetime.date(2026, 11, 30),
    )
    return [
        AuditEntry(at=JUST_AFTER_MIDNIGHT, action="grants.expired"),
        InactivityNotice(allowance=allowance, sent_at=JUST_AFTER_MIDNIGHT),
        WatchEntry(company=company(), added_at=JUST_AFTER_MIDNIGHT),
        Submission(award_id=1, item="report", submitted_at=JUST_AFTER_MIDNIGHT),
        DataRequest(company_id=1, kind="copy", created_at=JUST_AFTER_MIDNIGHT),
        RecordedVerdict(ubn="84700087", status="eligible", recorded_at=JUST_AFTER_MIDNIGHT),
        SupplementRequest(
            application=Application(number="AP115-T-0001"), deadline=JUST_AFTER_MIDNIGHT
        ),
        Enrolment(user=User(username="operator"), purpose="setup", created_at=JUST_AFTER_MIDNIGHT),
    ]


@pytest.mark.parametrize("index", range(8))
def test_a_names_day_is_the_taipei_day(index):
    name = str(instances()[index])

    assert "2026-11-28" in name
    assert "2026-11-27" not in name
