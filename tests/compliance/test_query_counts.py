"""Scale: the compliance pages read a fixed number of queries whatever the number of violations,
inactivity notices, pledges and watch entries; ``compliance_of`` reads the company notes of many
allowances in two queries and gives what ``company_compliance`` read for each one alone."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance.enums import NoticeOutcome, Sanction
from aipower.compliance.models import InactivityNotice, Pledge, Violation, WatchEntry
from aipower.compliance.templatetags.compliance import company_compliance, compliance_of
from aipower.gateway.services import create_key, record_region_refusal
from aipower.grants import services as grants
from tests.conftest import verified_client
from tests.grants.conftest import make_award
from tests.query_counts import measure, with_audit_entry
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration

# Session, user, second factor, then what each page lists (the gateway's region refusals,
# violations, pending count, notices, watch list, pending pledges; the violation, its history,
# allowance and notice; the pledges) and the staff navigation's own reads.
# The index also lists the notices the rule set aside, and the violations already recorded for
# the region refusals.
PAGE_QUERIES = {"index": 13, "detail": 9, "pledges": 6}
# Session, user, second factor, the violations (joined with company, category and staff), and
# the audit entry's reads and write.
CSV_QUERIES = with_audit_entry(8)


@pytest.fixture
def operator(db):
    return make_staff("op", "operator")


def queries_of(client, url):
    queries, _response, text = measure(client, url)
    return len(queries), text


def add_cases(call, start, count, operator):
    """``count`` more companies whose period ended, each with an inactivity notice (open, or
    set aside by the rule), a violation (every other one decided), a pending pledge and a watch
    entry; the first company's allowance gets one more violation each time (its history)."""
    now = timezone.now()
    today = timezone.localdate()
    allowances = []
    for number in range(start, start + count):
        kind = CategoryKind.TRAINING if number % 2 else CategoryKind.INFERENCE
        award = make_award(
            call,
            f"{50000000 + number}",
            kind,
            starts_on=today - datetime.timedelta(days=100),
            ends_on=today - datetime.timedelta(days=5),
        )
        allowance = grants.open_allowance(award)
        allowances.append(allowance)
        InactivityNotice.objects.create(
            allowance=allowance,
            sent_at=now,
            idle_weeks=3,
            period_weeks=13,
            respond_by=today,
            # Every third one set aside by the rule (listed for the operator to decide).
            outcome=NoticeOutcome.VOID if number % 3 == 2 else NoticeOutcome.OPEN,
            void_reason="通知未送達專案聯絡人。" if number % 3 == 2 else "",
        )
        Violation.objects.create(
            award=award,
            company=award.company,
            rule="1",
            occurred_on=today,
            evidence=f"事證{number}",
            recorded_by=operator,
            recorded_at=now,
            sanction=Sanction.SUSPEND if number % 2 else Sanction.PENDING,
        )
        Pledge.objects.create(award=award, field="dataset_github_url", url="https://github.com/x/y")
        WatchEntry.objects.create(
            company=award.company, reason=f"觀察{number}", added_by=operator, added_at=now
        )
        if kind == CategoryKind.INFERENCE:
            key, _secret = create_key(award.company, award, f"key {number}")
            record_region_refusal(key.pk, award.pk, "HK", "202.45.84.58")
    return allowances


@pytest.mark.parametrize("page", list(PAGE_QUERIES))
def test_staff_page_query_count_does_not_grow_with_cases(call_115, operator, page):
    client = verified_client(operator)
    [first, *_rest] = add_cases(call_115, 0, 10, operator)
    violation = Violation.objects.get(award=first.award)
    url = {
        "index": reverse("compliance:index"),
        "detail": reverse("compliance:detail", args=[violation.pk]),
        "pledges": reverse("compliance:pledges"),
    }[page]

    small, _html = queries_of(client, url)

    add_cases(call_115, 10, 20, operator)
    for number in range(3):
        Violation.objects.create(
            award=first.award,
            company=first.company,
            rule="2",
            occurred_on=timezone.localdate(),
            evidence=f"再犯{number}",
            recorded_by=operator,
            recorded_at=timezone.now(),
        )
    large, html = queries_of(client, url)

    if page == "index":
        assert html.count('<tr id="violation-') == 33
        assert html.count('<tr id="region-refusal-') == 15
        assert html.count('<tr id="lapsed-notice-') == 10
        for case in Violation.objects.select_related("company"):
            assert f'<tr id="violation-{case.pk}">' in html
        # Its four violations, its inactivity notice, watch entry and region refusal.
        label = f"{first.company.name}（{first.company.ubn}）"
        assert html.count(f"<td>{label}</td>") == 7
    elif page == "detail":
        for case in Violation.objects.filter(company=first.company):
            assert reverse("compliance:detail", args=[case.pk]) in html or case == violation
        assert html.count("<li>") >= 4
    else:
        assert html.count('<tr id="pledge-') == 30
    assert small == large <= PAGE_QUERIES[page]


def test_compliance_of_equals_each_allowances_own_notes(call_115, operator):
    allowances = add_cases(call_115, 0, 6, operator)
    InactivityNotice.objects.filter(allowance=allowances[2]).update(outcome=NoticeOutcome.RESUMED)

    with CaptureQueriesContext(connection) as queries:
        known = compliance_of(allowances)

    assert len(queries) == 2
    for allowance in allowances:
        alone = company_compliance(allowance)
        assert known[allowance.pk]["notice"] == alone["notice"]
        assert known[allowance.pk]["sanctions"] == alone["sanctions"]
        assert company_compliance(allowance, known) is known[allowance.pk]
    assert [bool(known[a.pk]["sanctions"]) for a in allowances] == [False, True] * 3
    assert known[allowances[2].pk]["notice"] is None


def test_violations_csv_reads_a_fixed_number_of_queries(call_115, operator):
    """The violations' CSV reads them with their company, category and staff in one query,
    whatever their number, and writes its audit entry."""
    client = verified_client(operator)
    add_cases(call_115, 0, 5, operator)
    small, _text = queries_of(client, reverse("compliance:csv"))

    add_cases(call_115, 5, 20, operator)
    large, text = queries_of(client, reverse("compliance:csv"))

    assert text.count("\n") == 1 + 25
    assert small == large <= CSV_QUERIES
