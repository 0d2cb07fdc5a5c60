"""Counting the queries of one page, as the ``test_query_counts`` modules do."""

from django.db import connection
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
