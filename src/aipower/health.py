"""Health endpoints for the proxy, the orchestrator and monitoring.

Project level, beside ``urls`` and ``asgi``: the checks read more than one app (the task
queue, the applications' mail outbox), which ``core`` — below every app — may not.

- ``GET /healthz`` — liveness: the process answers; touches nothing else.
- ``GET /readyz`` — readiness: the database answers, every migration of this code is applied
  and the cache table works (503 ``unavailable`` otherwise: take the process out of rotation);
  and two signs that the background work is running, which do not take the process out but
  say ``degraded`` (alert on it): the oldest task waiting for ``manage.py db_worker`` and the
  oldest mail waiting in the outbox (``send_due_mails``), each against
  ``HEALTH_BACKLOG_SECONDS``.

Both answer JSON, never cached, with words only (no counts, names or addresses), read no
session and need no sign-in. Send the probe with a ``Host`` the site accepts
(``AIPOWER_ALLOWED_HOSTS``): Django refuses any other with 400.
"""

import datetime
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"

# Set once this process has seen every migration applied (they are not unapplied under it).
_migrated = False


def _answer(status, checks=None):
    body = {"status": status}
    if checks is not None:
        body["checks"] = checks
    return JsonResponse(body, status=503 if status == UNAVAILABLE else 200)


@never_cache
@require_safe
def live(request):
    return _answer(OK)


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return UNAVAILABLE
    return OK


def _migrations():
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connection)
        _migrated = not executor.migration_plan(executor.loader.graph.leaf_nodes())
    return OK if _migrated else "pending"


def _cache():
    key, token = "aipower.health", uuid.uuid4().hex
    try:
        # A savepoint: a failed statement must not spoil the checks after it, should this run
        # inside a transaction (PostgreSQL refuses every statement after an error until then).
        with transaction.atomic():
            cache.set(key, token, 30)
            return OK if cache.get(key) == token else UNAVAILABLE
    except DatabaseError:  # the database cache's table is missing (createcachetable)
        return UNAVAILABLE


def _stale_before(now):
    return now - datetime.timedelta(seconds=settings.HEALTH_BACKLOG_SECONDS)


def task_queue(now=None):
    """Tasks queued for the worker that none has taken for too long (only when the tasks go
    to the database; the development default runs them at once)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return "not used"
    from django_tasks_db.models import DBTaskResult

    stale = DBTaskResult.objects.ready().filter(
        enqueued_at__lt=_stale_before(now or timezone.now())
    )
    return "stalled" if stale.exists() else OK


def _mail_outbox(now):
    """A mail still waiting to be sent (a first attempt, or a retry that is due) for too long."""
    from aipower.applications.models import SentMail

    due_long_ago = _stale_before(now)
    waiting = SentMail.objects.filter(status=SentMail.Status.QUEUED, queued_at__lt=due_long_ago)
    waiting = waiting.exclude(next_attempt_at__gte=due_long_ago)
    return "backlog" if waiting.exists() else OK


@never_cache
@require_safe
def ready(request):
    checks = {"database": _database()}
    if checks["database"] != OK:
        return _answer(UNAVAILABLE, checks)
    checks["migrations"] = _migrations()
    checks["cache"] = _cache()
    now = timezone.now()
    checks["task_queue"] = task_queue(now)
    checks["mail_outbox"] = _mail_outbox(now)
    if checks["migrations"] != OK or checks["cache"] != OK:
        status = UNAVAILABLE
    elif checks["task_queue"] in (OK, "not used") and checks["mail_outbox"] == OK:
        status = OK
    else:
        status = DEGRADED
    return _answer(status, checks)
