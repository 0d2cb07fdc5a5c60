"""The mail log (/staff/mail/) at a real programme's volume (tens of thousands of mails): a page
is read in the log's order from an index, and the failed ones are found without a pass over
every mail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aipower.accounts.models import User
from aipower.applications.models import SentMail
from tests.conftest import verified_client
from tests.query_counts import indexes_read, query_plan, sorts_rows

pytestmark = pytest.mark.integration


def page_queries(params):
    client = verified_client(User.objects.create_user(username="op", role="operator"))
    client.get(reverse("mail_staff:index"), params)  # the first request may write the session
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("mail_staff:index"), params)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def mails(db):
    SentMail.objects.create(to=["a@example.com"], subject="甲", status=SentMail.Status.SENT)
    SentMail.objects.create(to=["b@example.com"], subject="乙", status=SentMail.Status.FAILED)


def test_mail_log_page_is_read_in_order_from_an_index(mails):
    response, queries = page_queries({})

    (listing,) = [q for q in queries if "LIMIT" in q and 'ORDER BY "applications_sentmail"' in q]
    assert [mail.subject for mail in response.context["page"]] == ["乙", "甲"]
    # Before, every mail was sorted by its time to show 50 of them.
    assert not sorts_rows(listing)


def test_mail_log_counts_the_failed_mails_through_their_index(mails):
    if connection.vendor == "postgresql":
        # The table's statistics as it is now: in a full run they are whatever earlier tests
        # left (autovacuum), and the planner's choice between the indexes follows them (CI once
        # read the failed mails along another index, filtering).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SentMail._meta.db_table}")
    response, queries = page_queries({"show": "failed"})

    counts = [q for q in queries if q.startswith("SELECT COUNT(*)") and "'failed'" in q]
    assert response.context["failures"] == 1
    assert counts
    for count in counts:
        # The plan in the message: the index the planner took instead, if it ever does again.
        assert "sentmail_failed" in indexes_read(count), query_plan(count)
