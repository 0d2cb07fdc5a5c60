"""A company's survey draft read in the admin is in the audit log, as its submitted versions and
the staff page showing its answers are: the draft holds the same answers (and those not yet
sent), and its admin page showed them with no entry."""

import pytest
from django.urls import reverse

from aipower.accounts.models import User
from aipower.core.models import AuditEntry
from aipower.followup import services
from tests.conftest import verified_client

from .conftest import cleaned

pytestmark = pytest.mark.integration


def test_a_survey_draft_read_in_the_admin_is_audited(open_round, training_ended):
    [standing] = services.standings(open_round)
    response = services.save_draft(standing, cleaned())
    reader = User.objects.create_superuser("root", password="x" * 16, role="organiser")

    page = verified_client(reader).get(
        reverse("admin:followup_response_change", args=[response.pk])
    )

    assert page.status_code == 200
    entry = AuditEntry.objects.get(action="admin.view")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        reader,
        "followup.Response",
        str(response.pk),
    )
