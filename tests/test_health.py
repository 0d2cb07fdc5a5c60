"""/healthz and /readyz (``aipower.health``): liveness and readiness for proxy and monitoring."""

import datetime

import pytest
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings
from django.utils import timezone

from aipower import health
from aipower.applications.models import SentMail
from tests.queued_tasks import queued_task

pytestmark = pytest.mark.integration

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
MISSING_CACHE_TABLE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "no_such_cache_table",
    }
}


@pytest.fixture(autouse=True)
def _unknown_migration_state(monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)


def get(path):
    return Client().get(path)


def minutes_ago(minutes):
    return timezone.now() - datetime.timedelta(minutes=minutes)


def test_liveness_answers_without_the_database_or_a_session():
    # No django_db mark: any database access in the request would raise here.
    response = get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_ready_when_the_database_migrations_and_cache_work():
    response = get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": "ok",
            "migrations": "ok",
            "cache": "ok",
            "task_queue": "not used",  # the test settings run tasks at once
            "mail_outbox": "ok",
        },
    }
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_not_ready_while_a_migration_is_pending(monkeypatch):
    real_plan = MigrationExecutor.migration_plan

    def one_more_pending(self, targets, clean_start=False):
        return [*real_plan(self, targets, clean_start), ("a migration", False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", one_more_pending)

    response = get("/readyz")

    assert response.status_code == 503
    assert (response.json()["status"], response.json()["checks"]["migrations"]) == (
        "unavailable",
        "pending",
    )


@pytest.mark.django_db
def test_not_ready_without_the_database(monkeypatch):
    def refuse(*args, **kwargs):
        raise DatabaseError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)

    response = get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {"database": "unavailable"}}


@pytest.mark.django_db
@override_settings(CACHES=MISSING_CACHE_TABLE)
def test_not_ready_when_the_cache_table_is_missing():
    response = get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unavailable"


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, HEALTH_BACKLOG_SECONDS=600)
def test_degraded_when_no_worker_took_a_task_for_too_long():
    queued_task(minutes_ago=2)
    fresh = get("/readyz").json()
    queued_task(minutes_ago=11)
    stalled = get("/readyz")

    assert (fresh["status"], fresh["checks"]["task_queue"]) == ("ok", "ok")
    assert stalled.status_code == 200  # the web process still serves
    assert (stalled.json()["status"], stalled.json()["checks"]["task_queue"]) == (
        "degraded",
        "stalled",
    )


def queue_mail(minutes, next_attempt_in=None):
    mail = SentMail.objects.create(to=["a@example.com"], subject="s", body="b")
    retry = None
    if next_attempt_in is not None:
        retry = timezone.now() + datetime.timedelta(minutes=next_attempt_in)
    SentMail.objects.filter(pk=mail.pk).update(
        queued_at=minutes_ago(minutes), next_attempt_at=retry
    )


@pytest.mark.django_db
@override_settings(HEALTH_BACKLOG_SECONDS=600)
def test_degraded_when_a_mail_waits_in_the_outbox_too_long():
    queue_mail(minutes=30, next_attempt_in=20)  # a retry not yet due: nothing is late
    waiting_for_retry = get("/readyz").json()["checks"]["mail_outbox"]
    queue_mail(minutes=2)
    recent = get("/readyz").json()["checks"]["mail_outbox"]
    queue_mail(minutes=16)
    late = get("/readyz").json()

    assert (waiting_for_retry, recent) == ("ok", "ok")
    assert (late["status"], late["checks"]["mail_outbox"]) == ("degraded", "backlog")


def test_health_endpoints_only_answer_reads():
    assert Client().post("/healthz").status_code == 405
