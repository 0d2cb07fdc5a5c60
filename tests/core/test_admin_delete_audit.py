"""A delete in the admin names in the audit log what went with the object: deleting a call took
its categories, batches, tiers, criteria and texts along, and the log said only 「the call」."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from aipower.accounts.models import User
from aipower.calls.models import Batch, Category, Criterion, Tier
from aipower.core.models import AuditEntry
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x" * 16, role="operator")


def test_a_call_deleted_in_the_admin_names_what_went_with_it(call_115, superuser):
    expected = {
        "calls.Category": Category.objects.filter(call=call_115).count(),
        "calls.Batch": Batch.objects.filter(category__call=call_115).count(),
        "calls.Tier": Tier.objects.filter(call=call_115).count(),
        "calls.Criterion": Criterion.objects.filter(category__call=call_115).count(),
    }

    response = verified_client(superuser).post(
        reverse("admin:calls_call_delete", args=[call_115.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="admin.delete", object_type="calls.Call")
    assert (entry.actor, entry.object_id) == (superuser, str(call_115.pk))
    assert "calls.Call" not in entry.data["deleted_with"]  # the object itself is the entry's
    assert {label: entry.data["deleted_with"].get(label) for label in expected} == expected
    assert all(expected.values())


def test_a_bulk_delete_names_what_went_with_each_object(superuser):
    kept, gone = Group.objects.create(name="kept"), Group.objects.create(name="gone")
    member = User.objects.create_user("rev9", role="reviewer")
    member.groups.add(gone)

    verified_client(superuser).post(
        reverse("admin:auth_group_changelist"),
        {"action": "delete_selected", "_selected_action": [gone.pk], "post": "yes"},
    )

    entry = AuditEntry.objects.get(action="admin.delete", object_type="auth.Group")
    assert entry.object_id == str(gone.pk)
    assert entry.data["deleted_with"] == {"accounts.User_groups": 1}
    assert Group.objects.filter(pk=kept.pk).exists()


def test_a_delete_that_takes_nothing_along_says_so(superuser):
    group = Group.objects.create(name="alone")

    verified_client(superuser).post(
        reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
    )

    entry = AuditEntry.objects.get(action="admin.delete", object_type="auth.Group")
    assert entry.data["deleted_with"] == {}
