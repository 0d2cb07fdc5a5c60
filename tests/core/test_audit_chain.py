"""The audit log is a hash chain: an edited or removed entry is detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from aipower.core import audit
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration


def test_record_links_each_entry_to_the_previous(db):
    first = audit.record("one", n=1)
    second = audit.record("two", n=2)

    assert first.prev_hash == ""
    assert second.prev_hash == first.hash
    assert len(second.hash) == 64
    assert second.hash == audit.entry_hash(AuditEntry.objects.get(pk=second.pk))


def test_verify_chain_of_untouched_log_is_ok(db):
    for n in range(5):
        audit.record("step", n=n)

    report = audit.verify_chain()

    assert report.ok
    assert report.checked == 5


def test_verify_chain_detects_an_edited_entry(db):
    entries = [audit.record("step", n=n) for n in range(4)]
    AuditEntry.objects.filter(pk=entries[2].pk).update(data={"n": 99})

    report = audit.verify_chain()

    assert report.broken.pk == entries[2].pk
    assert report.problem == "hash"
    assert report.checked == 2


def test_verify_chain_detects_an_edited_entry_whose_hash_was_recomputed(db):
    entries = [audit.record("step", n=n) for n in range(4)]
    forged = AuditEntry.objects.get(pk=entries[1].pk)
    forged.action = "forged"
    forged.hash = audit.entry_hash(forged)
    forged.save()

    report = audit.verify_chain()

    assert report.broken.pk == entries[2].pk
    assert report.problem == "prev_hash"


def test_verify_chain_detects_a_deleted_entry(db):
    entries = [audit.record("step", n=n) for n in range(3)]
    AuditEntry.objects.filter(pk=entries[1].pk).delete()

    report = audit.verify_chain()

    assert report.broken.pk == entries[2].pk


def test_record_stores_data_exactly_as_hashed(db):
    import datetime

    entry = audit.record("dated", on=datetime.date(2026, 7, 1), items=("a", "b"))

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.data == {"on": "2026-07-01", "items": ["a", "b"]}
    assert audit.verify_chain().ok


def test_verify_audit_chain_command_reports_first_broken_entry(db, capsys):
    entries = [audit.record("step", n=n) for n in range(3)]
    call_command("verify_audit_chain")
    assert "audit chain intact: 3 entries" in capsys.readouterr().out
    AuditEntry.objects.filter(pk=entries[1].pk).update(action="edited")

    with pytest.raises(CommandError, match=f"broken at entry {entries[1].pk} ") as info:
        call_command("verify_audit_chain")
    # The time as the audit search shows it (Taipei), not the database's UTC.
    assert f"({timezone.localtime(entries[1].at):%Y-%m-%d %H:%M:%S} edited," in str(info.value)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_chain():
    import threading

    from django.db import connection

    def append(n):
        try:
            for i in range(5):
                audit.record("concurrent", thread=n, i=i)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    report = audit.verify_chain()
    assert report.ok
    assert report.checked == 20
    hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(hashes)) == 20
