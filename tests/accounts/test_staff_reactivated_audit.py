"""An account made usable again on the staff accounts page is in the audit log, naming who did
it and whose account (no other test read the entry)."""

import pytest
from django.test import Client

from aipower.accounts.enums import Role
from aipower.core.models import AuditEntry
from tests.accounts.test_staff_login import make_staff, verified_session

pytestmark = pytest.mark.integration


def test_reactivating_an_account_is_audited(django_user_model):
    operator = make_staff(django_user_model, "op", Role.OPERATOR)
    reviewer = make_staff(django_user_model, "rev", Role.REVIEWER)
    reviewer.is_active = False
    reviewer.save(update_fields=["is_active"])
    client = Client()
    verified_session(client, operator)

    response = client.post(f"/staff/accounts/{reviewer.pk}/reactivate/")

    assert response.status_code == 302
    reviewer.refresh_from_db()
    assert reviewer.is_active
    entry = AuditEntry.objects.get(action="staff.reactivated")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        operator,
        "accounts.User",
        str(reviewer.pk),
    )
