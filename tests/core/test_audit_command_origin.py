"""An audit entry written by a ``manage.py`` command with nobody signed in says which command
and which operating-system user ran it: before, a `seed_call` or `sync_roles` run on the server
was in the log with no one behind it."""

import getpass
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from aipower.core import audit
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration


def test_a_command_run_by_hand_names_itself_and_the_os_user(db, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/srv/aipower/manage.py", "sync_roles"])

    call_command("sync_roles", stdout=StringIO())

    entries = AuditEntry.objects.filter(action="staff.roles_synced")
    assert entries.exists()
    origins = {tuple(sorted(e.data["run_by"].items())) for e in entries}
    assert origins == {(("command", "sync_roles"), ("os_user", getpass.getuser()))}
    assert audit.verify_chain().ok


def test_an_entry_with_an_actor_or_outside_a_command_has_no_origin(
    db, monkeypatch, django_user_model
):
    user = django_user_model.objects.create_user("op", password="x" * 16)
    monkeypatch.setattr(sys, "argv", ["manage.py", "load_demo"])
    by_someone = audit.record("test.by_someone", actor=user)
    monkeypatch.setattr(sys, "argv", ["/usr/bin/uvicorn", "aipower.asgi:application"])
    in_server = audit.record("test.in_server")

    assert "run_by" not in by_someone.data
    assert "run_by" not in in_server.data


def test_the_os_user_falls_back_to_the_numeric_id(monkeypatch):
    def no_name():
        raise OSError("no login name")

    monkeypatch.setattr(audit.getpass, "getuser", no_name)

    origin = audit.command_origin(["manage.py", "db_worker"])

    assert origin["command"] == "db_worker" and origin["os_user"].isdigit()
