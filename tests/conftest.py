"""Fixtures shared by every layer of tests."""

import logging
import re

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice


@pytest.fixture(autouse=True)
def _site_language():
    """Every test starts in the site's language (zh-Hant): a request made in English by an
    earlier test leaves its language active in the thread (the locale middleware activates it
    and nothing resets it), which would leak into code a later test calls directly."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


#: A whole API key or cluster token (the part of a key that pages show is its first 6
#: characters after the prefix). The demo key is published in the README.
SECRET_IN_TEXT = re.compile(r"(sk-aipower-|aipc_)(?!demo-0{16}\b)[A-Za-z0-9_-]{20,}")


class _SecretWatch(logging.Handler):
    """Notes every log record that carries a secret, whatever its logger and level."""

    def __init__(self):
        super().__init__(logging.NOTSET)
        self.found = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        if SECRET_IN_TEXT.search(text):
            self.found.append(f"log {record.name} {record.levelname}: {text[:300]}")


@pytest.fixture(autouse=True)
def _no_secret_logged_or_audited():
    """Nothing secret in the logs or the audit log, in any test: a record of any logger that
    the settings let through (as production would write it), or an audit entry, that holds a
    whole API key or cluster token fails the test that made it."""
    from django.db.models.signals import post_save

    from aipower.core.models import AuditEntry

    watch = _SecretWatch()
    root = logging.getLogger()
    root.addHandler(watch)

    def audited(sender, instance, **kwargs):
        text = " ".join(
            str(value)
            for value in (instance.action, instance.object_type, instance.object_id, instance.data)
        )
        if SECRET_IN_TEXT.search(text):
            watch.found.append(f"audit entry {instance.action}: {text[:300]}")

    post_save.connect(audited, sender=AuditEntry, weak=False, dispatch_uid="secret-watch")
    try:
        yield
    finally:
        root.removeHandler(watch)
        post_save.disconnect(sender=AuditEntry, dispatch_uid="secret-watch")
    assert watch.found == [], "a secret was logged or audited"


def _run_hook(func, robust):
    if not robust:
        func()
        return
    try:
        func()
    except Exception:
        logging.getLogger("django.db.backends.base").exception("on_commit hook failed")


def _outside_business_transactions(connection):
    """Only the test's own wrapping transaction is open: production would be in autocommit."""
    blocks = connection.atomic_blocks
    return (
        connection.in_atomic_block
        and bool(blocks)
        and all(block._from_testcase for block in blocks)
        and not connection.needs_rollback
    )


@pytest.fixture(autouse=True)
def _commit_hooks_as_in_production(monkeypatch):
    """``transaction.on_commit`` hooks run when production would run them.

    pytest-django wraps each ``db`` test in a transaction that is rolled back at the end, so a
    hook (the outbox hands its mails to the worker on commit) would never run, and a test could
    not see the mail a committed operation sends. In production a request or a command runs in
    autocommit: a hook registered outside any ``atomic`` block runs at once, and one registered
    inside runs when the outermost block commits, or never when it rolls back. This fixture
    restores exactly that with the test's wrapping transaction taken as absent: the hook runs
    at once at the test's level, and when the outermost block of the code under test exits
    without error. A block that rolls back still drops its hooks (Django's savepoint rollback
    discards them), so "rolled back → nothing sent" stays testable. Tests with
    ``transactional_db`` (browser tests) have no wrapping transaction and are left alone.
    """
    from django.db import transaction
    from django.db.backends.base.base import BaseDatabaseWrapper

    on_commit = BaseDatabaseWrapper.on_commit
    atomic_exit = transaction.Atomic.__exit__

    def on_commit_as_in_production(self, func, robust=False):
        if _outside_business_transactions(self):
            _run_hook(func, robust)
        else:
            on_commit(self, func, robust)

    def exit_as_in_production(self, exc_type, exc_value, traceback):
        result = atomic_exit(self, exc_type, exc_value, traceback)
        connection = transaction.get_connection(self.using)
        if (
            exc_type is None
            and not self._from_testcase
            and connection.run_on_commit
            and _outside_business_transactions(connection)
        ):
            hooks, connection.run_on_commit = connection.run_on_commit, []
            for _savepoints, func, robust in hooks:
                _run_hook(func, robust)
        return result

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_as_in_production)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_as_in_production)


@pytest.fixture
def call_115(db):
    """The seeded year-115 call, exactly as the seed document gives it."""
    from aipower.calls.seed import seed_call

    return seed_call(115)


def verified_client(user):
    """A client signed in as ``user`` with a verified second factor (as staff_required wants)."""
    client = Client()
    client.force_login(user)
    if user.role != "company":
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
