"""``manage.py seed_call`` is in the audit log: it sets back what the operator edited in the
admin (a tier's points here) to the document's values, and the log said nothing of it."""

import pytest
from django.core.management import call_command

from aipower.calls.models import Tier
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration


def test_seed_call_command_records_what_it_set_back(call_115, capsys):
    Tier.objects.filter(call=call_115, code="L1").update(points=999)

    call_command("seed_call", "115")

    entry = AuditEntry.objects.filter(action="calls.seeded").get()
    assert (entry.object_type, entry.object_id) == ("calls.Call", str(call_115.pk))
    assert entry.actor is None  # the command line: no signed-in person
    assert entry.data["via"] == "manage.py seed_call"
    assert entry.data["created"] == []
    assert entry.data["updated"] == ["tier 115 L1 (points)"]
    assert entry.data["unchanged"] == 70


def test_seed_call_command_records_what_it_created(db, capsys):
    call_command("seed_call", "115")

    entry = AuditEntry.objects.filter(action="calls.seeded").get()
    assert "call 115" in entry.data["created"]
    assert len(entry.data["created"]) == 71
    assert entry.data["updated"] == []


def test_seed_call_command_refused_records_nothing(db):
    with pytest.raises(Exception, match="no seed data"):
        call_command("seed_call", "99")

    assert not AuditEntry.objects.filter(action="calls.seeded").exists()
