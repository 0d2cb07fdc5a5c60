"""A service's state changed by a staff member is in the audit log with the state it replaced:
the entry said only the new one."""

import pytest
from django.contrib import admin
from django.urls import reverse

from aipower.accounts.models import User
from aipower.core.models import AuditEntry
from aipower.grants import services
from aipower.grants.models import Allowance, AllowanceState
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def test_a_service_reinstated_in_the_admin_names_the_state_it_replaced(inference_award):
    allowance = services.open_allowance(inference_award)
    services.set_state(allowance, AllowanceState.SUSPENDED)
    operator = User.objects.create_superuser("op", password="x" * 16, role="operator")
    assert Allowance in admin.site._registry

    response = verified_client(operator).post(
        reverse("admin:grants_allowance_changelist"),
        {"action": "reinstate", "_selected_action": [allowance.pk]},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="grants.state")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        operator,
        "grants.Allowance",
        str(allowance.pk),
    )
    assert (entry.data["before"], entry.data["state"]) == ("suspended", "active")


def test_the_state_replaced_is_read_from_the_database_not_the_callers_copy(inference_award):
    allowance = services.open_allowance(inference_award)
    stale = Allowance.objects.get(pk=allowance.pk)
    services.set_state(allowance, AllowanceState.SUSPENDED)
    operator = User.objects.create_user("op", role="operator")

    services.set_state(stale, AllowanceState.ENDED, by=operator, reason="test")

    entry = AuditEntry.objects.get(action="grants.state")
    assert (entry.data["before"], entry.data["state"]) == ("suspended", "ended")
