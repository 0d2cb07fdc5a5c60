"""The admin's lists of the tables that grow with use (the audit log, the mails, applications,
the review's records, awards, ledgers and reservations, API requests, accounts) read a fixed
number of queries per page, however many rows it shows: a row's related objects (its actor,
application, company, tier, batch, model) come with the list, not one query each (a page of 100
rows read up to 307 queries)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aipower.accounts.models import User
from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.core.models import AuditEntry
from aipower.gateway.models import MeteredRequest
from aipower.grants import services as grants
from aipower.grants.models import LedgerEntry, Reservation
from aipower.review.models import Assignment, Decision, StateChange
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.query_counts import measure, sorts_rows

pytestmark = pytest.mark.integration

LISTS = [
    "core_auditentry",
    "accounts_user",
    "applications_application",
    "applications_sentmail",
    "review_statechange",
    "review_assignment",
    "review_decision",
    "review_award",
    "grants_allowance",
    "grants_ledgerentry",
    "grants_reservation",
    "gateway_meteredrequest",
]

UBNS = ["04595257", "10458575", "10458574", "12345675", "22099131", "62140097"]


def add_rows(call, ubns):
    """For each company: an award (its application in a batch, its allowance and ledger), a
    reviewer's assignment, a decision, a state change, a mail, an API request, an audit entry."""
    now = timezone.now()
    batch = call.categories.get(kind=CategoryKind.INFERENCE).batches.order_by("number").first()
    tier = call.tiers.order_by("points").first()
    for ubn in ubns:
        award = make_award(call, ubn, CategoryKind.INFERENCE)
        app = award.application
        app.batch = batch
        app.save(update_fields=["batch"])
        allowance = grants.open_allowance(award)
        reviewer = User.objects.create_user(username=f"rev-{ubn}", role="reviewer")
        User.objects.create_user(username=f"co-{ubn}", role="company", company=award.company)
        Assignment.objects.create(application=app, reviewer=reviewer, assigned_at=now)
        Decision.objects.create(application=app, outcome="approved", tier=tier, decided_at=now)
        StateChange.objects.create(
            application=app, from_state="submitted", to_state="approved", by=reviewer, at=now
        )
        SentMail.objects.create(to=["pi@example.com"], subject="通知", body="", application=app)
        model = award.allowed_models.first()
        MeteredRequest.objects.create(
            request_id=f"req-{ubn}",
            award=award,
            model=model,
            endpoint="chat",
            outcome="ok",
            started_at=now,
            finished_at=now,
        )
        LedgerEntry.objects.create(
            allowance=allowance,
            kind=LedgerEntry.Kind.USAGE,
            units=-1000,
            exact_units=900,
            source=f"gw:req-{ubn}",
            model=model,
            created_at=now - datetime.timedelta(minutes=1),
        )
        Reservation.objects.create(
            allowance=allowance,
            request_id=f"held-{ubn}",
            units=1000,
            created_at=now,
            expires_at=now + datetime.timedelta(minutes=15),
        )
        AuditEntry.objects.create(action="test.admin", actor=reviewer, object_id=str(app.pk))


def test_admin_lists_queries_do_not_grow_with_rows(call_115):
    user = User.objects.create_superuser("admin-lists", password="x" * 16, role="operator")
    client = verified_client(user)
    urls = {name: reverse(f"admin:{name}_changelist") for name in LISTS}

    add_rows(call_115, UBNS[:2])
    small = {name: len(measure(client, url)[0]) for name, url in urls.items()}
    add_rows(call_115, UBNS[2:])
    large = {name: len(measure(client, url)[0]) for name, url in urls.items()}

    assert large == small


def test_admin_request_list_reads_the_newest_without_a_pass_over_the_table(call_115):
    """The API's request log grows by millions of rows a year: the admin's list takes its page
    from the primary key's order, with no sort of the table, no first/last date of it and no
    distinct values of a column for a filter."""
    add_rows(call_115, UBNS[:3])
    first = MeteredRequest.objects.order_by("pk").first()
    now = timezone.now()
    MeteredRequest.objects.bulk_create(  # more than a page: the list is one page of them
        MeteredRequest(
            request_id=f"old-{n}",
            award_id=first.award_id,
            model_id=first.model_id,
            endpoint="chat",
            outcome="ok",
            started_at=now + datetime.timedelta(seconds=n),
            finished_at=now + datetime.timedelta(seconds=n),
        )
        for n in range(100)
    )
    if connection.vendor == "postgresql":
        # The tables' statistics as they are now: in a full run they are whatever earlier tests
        # left (autovacuum), and the planner once chose to sort the joined rows on them in CI
        # (as the mail log's index test did, tests/applications/test_mail_log_scale.py).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = User.objects.create_superuser("admin-requests", password="x" * 16, role="operator")
    client = verified_client(user)
    url = reverse("admin:gateway_meteredrequest_changelist")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    newest = [r.request_id for r in response.context["cl"].result_list][:4]
    assert newest == [f"old-{n}" for n in (99, 98, 97, 96)]
    sql = [q["sql"] for q in queries.captured_queries if "gateway_meteredrequest" in q["sql"]]
    (listing,) = [q for q in sql if 'ORDER BY "gateway_meteredrequest"' in q]
    assert not sorts_rows(listing)
    assert not [q for q in sql if "MIN(" in q or "MAX(" in q or "DISTINCT" in q]
