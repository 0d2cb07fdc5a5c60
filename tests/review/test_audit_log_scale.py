"""The audit log's search at a real programme's volume (hundreds of thousands of entries): its
filters read the entries through indexes, never a pass over the whole log, and the days are the
staff's local days."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aipower.core.models import AuditEntry
from tests.conftest import verified_client
from tests.query_counts import indexes_read

pytestmark = pytest.mark.integration


def taipei(*args):
    return timezone.make_aware(datetime.datetime(*args))


def searched(client, params):
    """The page's entries for ``params`` and the SQL of the count of its matches."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:audit"), params)
    assert response.status_code == 200
    (count,) = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT COUNT(*)") and "core_auditentry" in q["sql"]
    ]
    return {entry.object_id for entry in response.context["page"]}, count


@pytest.fixture
def client(operator):
    client = verified_client(operator)
    client.get(reverse("review:audit"))  # the first request may write the session
    return client


def test_audit_search_by_day_reads_the_time_index_and_keeps_local_days(client):
    for object_id, at in {
        "before": taipei(2026, 11, 19, 23, 59),
        "first": taipei(2026, 11, 20, 0, 0),
        "last": taipei(2026, 11, 21, 23, 59, 59),
        "after": taipei(2026, 11, 22, 0, 0),
    }.items():
        AuditEntry.objects.create(at=at, action="test.scale", object_id=object_id)

    found, count_sql = searched(client, {"since": "2026-11-20", "until": "2026-11-21"})

    assert found == {"first", "last"}
    # Before, each entry's time was converted to a date first: a pass over the whole log.
    assert any(name.startswith("core_auditentry_at_") for name in indexes_read(count_sql))


def test_audit_search_by_object_reads_its_index(client):
    AuditEntry.objects.create(action="test.scale", object_type="application", object_id="502")
    AuditEntry.objects.create(action="test.scale", object_type="application", object_id="503")

    found, count_sql = searched(client, {"object_id": "502"})

    assert found == {"502"}
    assert "core_audit_object_id" in indexes_read(count_sql)


@pytest.mark.parametrize(
    "params", [{"since": "0001-01-01"}, {"until": "9999-12-31"}, {"until": "0001-01-01"}]
)
def test_audit_search_by_the_calendars_first_or_last_day_is_answered(client, params):
    AuditEntry.objects.create(action="test.scale", object_id="now")

    found, _count_sql = searched(client, params)

    assert found == ({"now"} if "since" in params or params["until"] > "2000" else set())
