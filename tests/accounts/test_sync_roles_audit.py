"""``manage.py sync_roles`` is in the audit log: it decides what every staff member may do, and
a permission it gave or took back left no trace."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from aipower.accounts.roles import sync_role_groups
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration


def test_sync_roles_records_each_groups_added_and_removed_permissions(db):
    sync_role_groups()
    operator = Group.objects.get(name="operator")
    taken = operator.permissions.select_related("content_type").order_by("pk").first()
    operator.permissions.remove(taken)
    stray = Permission.objects.get(content_type__app_label="core", codename="delete_auditentry")
    Group.objects.get(name="reviewer").permissions.add(stray)

    call_command("sync_roles", stdout=StringIO())

    entries = {
        entry.object_id: entry for entry in AuditEntry.objects.filter(action="staff.roles_synced")
    }
    groups = {group.name: group for group in Group.objects.all()}
    assert set(entries) == {str(groups[name].pk) for name in ("operator", "reviewer", "organiser")}
    op = entries[str(groups["operator"].pk)]
    assert (op.object_type, op.actor) == ("auth.Group", None)
    assert op.data["via"] == "manage.py sync_roles"
    assert op.data["added"] == [f"{taken.content_type.app_label}.{taken.codename}"]
    assert op.data["removed"] == []
    reviewer = entries[str(groups["reviewer"].pk)]
    assert (reviewer.data["added"], reviewer.data["removed"]) == ([], ["core.delete_auditentry"])
    assert entries[str(groups["organiser"].pk)].data == {
        "added": [],
        "removed": [],
        "via": "manage.py sync_roles",
    }
