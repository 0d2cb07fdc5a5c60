"""Scale: the company's usage pages and downloads read a fixed number of queries whatever the
number of allowances, ledger entries, API requests and GPU jobs.

算力點數使用情形 read each allowance's compliance notes on its own (two queries per allowance);
the other pages were already fixed in size and are held there.
"""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from aipower.calls.enums import CategoryKind
from aipower.compliance.enums import NoticeOutcome, Sanction
from aipower.compliance.models import InactivityNotice, Violation
from aipower.gateway.models import MeteredRequest
from aipower.grants import services
from aipower.grants.models import GpuJob, LedgerEntry
from tests.applications.two_calls import seed_next_call
from tests.query_counts import measure

from .conftest import make_award

pytestmark = pytest.mark.integration

# Session, user, the allowances, the company, the open inactivity notices, the decided sanctions
# and the current call the page's frame reads twice.
OVERVIEW_QUERIES = 8
# Session, user, the allowance, the daily use, use per model or per job, the company, the
# compliance notes (two), the latest API requests (inference), the current call (twice).
DETAIL_QUERIES = {CategoryKind.INFERENCE: 11, CategoryKind.TRAINING: 10}
# Session, user, the allowance, the rows.
CSV_QUERIES = 4


def queries_of(client, url):
    queries, _response, text = measure(client, url)
    return len(queries), text


def add_usage(allowance, count):
    """``count`` more charges of ``allowance`` over the last days: ledger entries, and the API
    requests (inference) or GPU jobs (training) they came from."""
    now = timezone.now()
    models = list(allowance.award.allowed_models.order_by("display_name"))
    first = LedgerEntry.objects.filter(allowance=allowance).count()
    entries, requests, jobs = [], [], []
    for number in range(first, first + count):
        at = now - datetime.timedelta(hours=5 * (number - first))
        model = models[number % len(models)] if models else None
        entries.append(
            LedgerEntry(
                allowance=allowance,
                kind=LedgerEntry.Kind.USAGE,
                units=-1000,
                exact_units=900,
                source=f"gw:{allowance.pk}-{number}",
                model=model,
                created_at=at,
            )
        )
        if allowance.kind == CategoryKind.INFERENCE:
            requests.append(
                MeteredRequest(
                    request_id=f"req-{allowance.pk}-{number}",
                    award_id=allowance.award_id,
                    model=model,
                    endpoint="chat",
                    prompt_tokens=500,
                    completion_tokens=400,
                    outcome="ok",
                    started_at=at,
                    finished_at=at,
                )
            )
        else:
            jobs.append(
                GpuJob(
                    cluster="twcc",
                    job_id=f"job-{number}",
                    account=allowance.account,
                    allowance=allowance,
                    gpus=2,
                    started_at=at,
                    ended_at=at + datetime.timedelta(hours=1),
                    state="COMPLETED",
                    gpu_seconds=7200,
                    charged_seconds=7200,
                )
            )
    LedgerEntry.objects.bulk_create(entries)
    MeteredRequest.objects.bulk_create(requests)
    GpuJob.objects.bulk_create(jobs)


def test_overview_query_count_does_not_grow_with_allowances(call_115, company_client, monkeypatch):
    first = services.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    add_usage(first, 20)
    client = company_client(first.company)
    url = reverse("grants:overview")

    small, html = queries_of(client, url)

    assert html.count('class="card usage-card"') == 1
    call_116 = seed_next_call(monkeypatch, is_open=False)
    second = services.open_allowance(make_award(call_116, "12345675", CategoryKind.TRAINING))
    add_usage(first, 40)
    add_usage(second, 60)
    today = timezone.localdate()
    InactivityNotice.objects.create(
        allowance=first,
        sent_at=timezone.now(),
        idle_weeks=3,
        period_weeks=13,
        respond_by=today,
        outcome=NoticeOutcome.OPEN,
    )
    Violation.objects.create(
        award=second.award,
        company=second.company,
        rule="1",
        occurred_on=today,
        evidence="轉售算力",
        recorded_at=timezone.now(),
        sanction=Sanction.SUSPEND,
    )
    large, html = queries_of(client, url)

    assert html.count('class="card usage-card"') == 2
    assert f'id="inactivity-notice-{first.pk}"' in html
    assert f'id="inactivity-notice-{second.pk}"' not in html
    assert f'id="sanctions-{second.award_id}"' in html and "暫停現有服務" in html
    assert f'id="sanctions-{first.award_id}"' not in html
    for allowance in (first, second):
        assert reverse("grants:detail", args=[allowance.pk]) in html
    assert small == large <= OVERVIEW_QUERIES


@pytest.mark.parametrize("kind", [CategoryKind.INFERENCE, CategoryKind.TRAINING])
def test_detail_query_count_does_not_grow_with_usage(call_115, company_client, kind):
    allowance = services.open_allowance(make_award(call_115, "12345675", kind))
    client = company_client(allowance.company)
    url = reverse("grants:detail", args=[allowance.pk])
    add_usage(allowance, 30)

    small, _html = queries_of(client, url)

    add_usage(allowance, 60)
    large, html = queries_of(client, url)

    if kind == CategoryKind.INFERENCE:
        per_model = rows_of(html, "模型")
        assert len(per_model) == 2
        assert sum(int(cells[1]) for cells in per_model) == 90
        assert html.count("<tr><td><code>req-") == 90
    else:
        assert html.count("<tr><td><code>twcc:job-") == 90
    assert small == large <= DETAIL_QUERIES[kind]


def rows_of(html, first_heading):
    """The body rows of the table whose first column is ``first_heading``."""
    import re

    table = html.split(f'<th scope="col">{first_heading}</th>', 1)[1].split("</table>", 1)[0]
    return [re.findall(r"<td>([^<]*)</td>", row) for row in table.split("<tr>")[1:]]


@pytest.mark.parametrize("name", ["grants:csv", "grants:requests-csv"])
def test_downloads_query_count_does_not_grow_with_rows(call_115, company_client, name):
    allowance = services.open_allowance(make_award(call_115, "12345675", CategoryKind.INFERENCE))
    client = company_client(allowance.company)
    url = reverse(name, args=[allowance.pk])
    add_usage(allowance, 100)

    small, _body = queries_of(client, url)

    add_usage(allowance, 200)
    large, body = queries_of(client, url)

    rows = list(csv.reader(io.StringIO(body)))
    # The usage download also lists the grant entry.
    assert len(rows) == 1 + 300 + (1 if name == "grants:csv" else 0)
    assert small == large <= CSV_QUERIES
