"""Counting the queries of one page, as the ``test_query_counts`` modules do."""

import re

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def measure(client, url):
    """The queries of a GET of ``url``, its response and its text, once the session has settled
    (the first request of a session may write it: the idle sign-out notes the time of use).
    Streamed responses (CSV) are read inside the count; a CSV's byte-order mark is dropped."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    return queries, response, body.decode("utf-8-sig")


def with_audit_entry(queries):
    """The bound of a page that writes an audit entry: on PostgreSQL the entry's append takes an
    advisory lock first (``core.audit``, the hash chain's order), one statement more."""
    return queries + (1 if connection.vendor == "postgresql" else 0)


def indexes_read(sql):
    """The indexes the database's plan for ``sql`` (a captured query) reads rows by. On
    PostgreSQL sequential scans are discouraged first: a test's small table would otherwise be
    read whole whatever its indexes. A full pass over a table names none (SQLite's ``SCAN``;
    an index that only orders the pass is not a search either)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            return set(re.findall(r"Index (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)", plan))
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = "\n".join(row[-1] for row in cursor.fetchall())
        return set(re.findall(r"SEARCH \w+ USING (?:COVERING )?INDEX (\w+)", plan))
