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


def query_plan(sql):
    """The database's plan for ``sql`` (a captured query), as text; on PostgreSQL with
    sequential scans discouraged (see ``indexes_read``)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        return "\n".join(row[-1] for row in cursor.fetchall())


def indexes_read(sql):
    """The indexes the database's plan for ``sql`` (a captured query) reads rows through: a
    search, or a pass along a (partial) index. On PostgreSQL sequential scans are discouraged
    first: a test's small table would otherwise be read whole whatever its indexes."""
    plan = query_plan(sql)
    if connection.vendor != "postgresql":
        return set(re.findall(r"(?:SEARCH|SCAN) \w+ USING (?:COVERING )?INDEX (\w+)", plan))
    # With sequential scans discouraged, a whole index may be read in their stead: an index
    # counts when its node searches it (an Index Cond) or it is partial (it holds its rows).
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NOT NULL")
        partial = {row[0] for row in cursor.fetchall()}
    read, index = set(), None
    for line in plan.splitlines():
        if "->" in line or not line.startswith(" "):  # a node of the plan
            found = re.search(r"Index (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)", line)
            index = found and found.group(1)
            if index in partial:
                read.add(index)
        elif index and "Index Cond:" in line:
            read.add(index)
    return read


def sorts_rows(sql):
    """Whether the plan for ``sql`` sorts the rows it read for its ORDER BY (rather than reading
    them in that order from an index): a sort of the whole table before a page of it."""
    plan = query_plan(sql)
    if connection.vendor == "postgresql":
        return bool(re.search(r"^\s*(->\s*)?(Incremental )?Sort\b", plan, re.MULTILINE))
    return "TEMP B-TREE FOR" in plan and "ORDER BY" in plan
