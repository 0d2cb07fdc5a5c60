"""The day and month a GPU job's charge counts in: when the GPU time was used (Asia/Taipei), not
when the cluster reported it (the nightly sacct import runs after midnight)."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from aipower.calls.enums import CategoryKind
from aipower.grants import gpu, services, staff_views
from aipower.grants.models import LedgerEntry
from aipower.grants.views import daily_usage

from .conftest import make_award

pytestmark = pytest.mark.integration

ACCOUNT = "aip115-04595257"
NOV_30, DEC_1 = datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)


@pytest.fixture
def award(call_115):
    return make_award(
        call_115, "04595257", CategoryKind.TRAINING,
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 30),
    )  # fmt: skip


@pytest.fixture
def allowance(award):
    return services.open_allowance(award)


def _days(allowance):
    days = dict(daily_usage(allowance, today=datetime.date(2026, 12, 2)))
    return days[NOV_30], days[DEC_1]


def _job(start, end, state):
    return gpu.record_from_json(
        {"job_id": "9001", "account": ACCOUNT, "gpus": 2, "start": start, "end": end,
         "state": state},
        "taiwania",
    )  # fmt: skip


def test_a_job_imported_after_midnight_counts_on_the_day_and_in_the_month_it_ran(
    allowance, call_115, tmp_path, company_client
):
    """A job that ended at 23:50 on 30 November, imported by the 00:30 run: its charge was
    dated 1 December, on the next day's bar and in December's figure."""
    sacct = tmp_path / "sacct.txt"
    sacct.write_text(
        "JobID|Account|AllocTRES|Start|End|State\n"
        f"9001|{ACCOUNT}|gres/gpu=2|2026-11-30T22:50:00|2026-11-30T23:50:00|COMPLETED\n"
    )

    call_command(
        "import_sacct", str(sacct), "--cluster", "taiwania", "--now", "2026-12-01T00:30:00",
        stdout=io.StringIO(),
    )  # fmt: skip

    assert _days(allowance) == (7_200, 0)
    # 7,200 GPU-seconds are 4 points (1,800 a point), in November.
    months = staff_views._months(call_115, [CategoryKind.TRAINING.value])
    assert months == [(datetime.date(2026, 11, 1), ["4"])]
    entry = LedgerEntry.objects.get(kind=LedgerEntry.Kind.USAGE)
    assert entry.created_at == gpu.parse_time("2026-12-01T00:30:00")  # when it was written
    response = company_client(allowance.company).get(reverse("grants:csv", args=[allowance.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "使用時間"
    # Written at 00:30 on 1 December, used up to 23:50 on 30 November; a grant is no use.
    assert [(row[1], row[0], row[-1]) for row in rows[1:]][1:] == [
        ("使用", "2026-12-01 00:30:00", "2026-11-30 23:50:00")
    ]
    assert rows[1][1:2] + rows[1][-1:] == ["核發", ""]


def test_a_running_job_reported_across_midnight_counts_each_report_at_its_moment(allowance):
    """Reported running at 23:00 and at 01:00, then finished at 00:30: each charge is dated at
    the end of the time it covers, and the correction nets against the charge it corrects (a
    negative day before, which the chart drew as no bar)."""
    running = _job("2026-11-30T22:00:00+08:00", None, "RUNNING")
    finished = _job("2026-11-30T22:00:00+08:00", "2026-12-01T00:30:00+08:00", "COMPLETED")

    gpu.record_job(running, gpu.parse_time("2026-11-30T23:00:00+08:00"))
    gpu.record_job(running, gpu.parse_time("2026-12-01T01:00:00+08:00"))
    result = gpu.record_job(finished, gpu.parse_time("2026-12-01T07:00:00+08:00"))

    # 2 GPUs: an hour on 30 November; two more to 01:00, half an hour of them given back.
    assert result.status == "corrected"
    assert _days(allowance) == (7_200, 14_400 - 3_600)
    assert services.ledger_mismatch(allowance) == {}


def test_a_job_reported_after_the_period_counts_on_its_last_day(call_115):
    """GPU time beyond the period is never charged: what was charged is dated inside it."""
    award = make_award(
        call_115, "04595257", CategoryKind.TRAINING,
        starts_on=datetime.date(2026, 11, 1), ends_on=NOV_30,
    )  # fmt: skip
    allowance = services.open_allowance(award)
    job = _job("2026-11-30T23:00:00+08:00", "2026-12-01T02:00:00+08:00", "COMPLETED")

    gpu.record_job(job, gpu.parse_time("2026-12-01T03:00:00+08:00"))

    assert dict(daily_usage(allowance, today=DEC_1))[NOV_30] == 7_200
