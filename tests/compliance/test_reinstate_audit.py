"""The operator's 恢復服務 on a violation's page is in the audit log, naming who, which violation
and the service's state it changed (no other test read the entry)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance import services
from aipower.compliance.enums import Sanction, UsageRule
from aipower.core.models import AuditEntry
from aipower.grants import services as grants
from aipower.grants.models import AllowanceState
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration


def test_a_suspension_lifted_on_the_violation_page_is_audited(call_115):
    allowance = grants.open_allowance(make_award(call_115, "10458575", CategoryKind.INFERENCE))
    operator = make_staff("op", "operator")
    violation = services.record_violation(
        allowance.award, UsageRule.PROFIT, timezone.localdate(), "挖礦程式"
    )
    services.decide(violation, Sanction.SUSPEND, by=None)

    response = verified_client(operator).post(reverse("compliance:reinstate", args=[violation.pk]))

    assert response.status_code == 302
    lifted = AuditEntry.objects.get(action="compliance.suspension_lifted")
    assert (lifted.actor, lifted.object_type, lifted.object_id) == (
        operator,
        "compliance.Violation",
        str(violation.pk),
    )
    state = AuditEntry.objects.get(action="grants.state", actor=operator)
    assert (state.object_type, state.object_id) == ("grants.Allowance", str(allowance.pk))
    assert state.data["state"] == AllowanceState.ACTIVE
