"""Writing the audit log. Callers pass what happened; never secrets (PINs, passwords, codes).

The log is a hash chain: each entry stores the previous entry's hash and its own hash over a
canonical JSON of (time, actor, action, object, address, data, previous hash). Appends are
serialised — a PostgreSQL advisory lock held to the end of the transaction, and a process lock
(SQLite serialises writers itself, but reads the last hash before it takes the write lock) — so two
concurrent appends never chain to the same predecessor. ``verify_chain`` re-computes every hash.
"""

import contextlib
import datetime
import getpass
import hashlib
import json
import logging
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEntry

logger = logging.getLogger("aipower.audit")

# Any fixed 64-bit number: the advisory lock that serialises appends on PostgreSQL.
ADVISORY_LOCK_KEY = 0x41495057  # "AIPW"
_process_lock = threading.Lock()


def client_ip(request):
    """The client's address (``core.net.ClientAddressMiddleware`` resolves it behind the proxy)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def canonical_json(value):
    """Sorted keys, no spaces, UTF-8 text: the same bytes for the same entry on any database."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder
    )


def entry_hash(entry, prev_hash=None):
    """sha256 over the canonical JSON of the entry's fields and the previous entry's hash."""
    payload = {
        "at": entry.at.astimezone(datetime.UTC).isoformat(timespec="microseconds"),
        "actor": entry.actor_id,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "ip": entry.ip or None,
        "data": entry.data,
        "prev_hash": entry.prev_hash if prev_hash is None else prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def _lock_chain():
    """Inside the append's transaction: on PostgreSQL an advisory lock held until it ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])


def _process_serialiser():
    # PostgreSQL's advisory lock serialises every process; elsewhere (SQLite, one server
    # process in development) the threads of this process take turns.
    return contextlib.nullcontext() if connection.vendor == "postgresql" else _process_lock


def _os_user():
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return str(os.getuid())


def command_origin(argv=None):
    """When this process is a ``manage.py`` command (a command run by hand, the task worker, the
    scheduler): the command's name and the operating-system user running it; else None."""
    argv = sys.argv if argv is None else argv
    if len(argv) < 2 or Path(argv[0]).name not in ("manage.py", "django-admin"):
        return None
    return {"command": argv[1], "os_user": _os_user()}


def record(action, *, request=None, actor=None, obj=None, **data):
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    if actor is None and request is None and (origin := command_origin()):
        # Nobody signed in did it: the entry says which command, run by whom on the server.
        data.setdefault("run_by", origin)
    # Stored exactly as hashed: lazy strings, dates and tuples become plain JSON first.
    data = json.loads(canonical_json(data))
    with _process_serialiser(), transaction.atomic():
        _lock_chain()
        last = AuditEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        entry = AuditEntry(
            at=timezone.now(),
            action=action,
            actor=actor,
            object_type=obj._meta.label if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            ip=client_ip(request),
            data=data,
            prev_hash=last or "",
        )
        entry.hash = entry_hash(entry)
        entry.save()
    logger.info("audit %s actor=%s object=%s:%s", action, actor, entry.object_type, entry.object_id)
    return entry


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken: AuditEntry | None = None
    problem: str = ""

    @property
    def ok(self):
        return self.broken is None


def verify_chain(entries=None):
    """Walk the log in insertion order; the first entry whose link or hash does not hold."""
    entries = entries if entries is not None else AuditEntry.objects.order_by("id").iterator()
    previous = ""
    checked = 0
    for entry in entries:
        if entry.prev_hash != previous:
            return ChainReport(checked, entry, "prev_hash")
        if entry.hash != entry_hash(entry):
            return ChainReport(checked, entry, "hash")
        previous = entry.hash
        checked += 1
    return ChainReport(checked)
