"""A GPU job's final record that reports less time than its running reports were charged: the
difference given back by a correction entry of the ledger, exactly and once."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse

from aipower.grants import gpu, services
from aipower.grants.models import Allowance, AllowanceState, GpuJob, LedgerEntry

from .test_gpu_openapi import assert_documented

pytestmark = pytest.mark.integration

ACCOUNT = "aip115-04595257"
at = "2026-11-20T{}:00+08:00".format


@pytest.fixture
def allowance(gpu_allowance):
    return gpu_allowance


def _job(job_id, start, end, state, gpus=2):
    return gpu.record_from_json(
        {"job_id": job_id, "account": ACCOUNT, "gpus": gpus, "start": start, "end": end,
         "state": state},
        "taiwania",
    )  # fmt: skip


def _row(allowance):
    return Allowance.objects.get(pk=allowance.pk)


def _corrections(allowance):
    entries = LedgerEntry.objects.filter(allowance=allowance, kind=LedgerEntry.Kind.CORRECTION)
    return list(entries.values_list("units", "exact_units", "source"))


def test_final_record_shorter_than_the_running_charge_gives_the_difference_back(allowance):
    """Charged 3 hours while running (reported at 12:00), the job's final record says it ended
    at 11:00: the hour charged beyond its end stayed charged."""
    running = _job("7001", at("09:00"), None, "RUNNING")
    finished = _job("7001", at("09:00"), at("11:00"), "COMPLETED")

    first = gpu.record_job(running, gpu.parse_time(at("12:00")))
    final = gpu.record_job(finished, gpu.parse_time(at("13:00")))
    again = gpu.record_job(finished, gpu.parse_time(at("14:00")))

    # 2 GPUs: 3 hours charged, 2 hours used.
    assert (first.charged_now, final.charged_now, again.charged_now) == (21_600, -7_200, 0)
    assert (final.status, final.charged_seconds, again.status) == ("corrected", 14_400, "unchanged")
    row = _row(allowance)
    assert (row.used_units, row.exact_units) == (14_400, 14_400)
    assert _corrections(allowance) == [(7_200, -7_200, "slurm:taiwania:7001:14400:correction1")]
    job = GpuJob.objects.get(job_id="7001")
    assert (job.charged_seconds, job.taken_seconds) == (14_400, 14_400)
    assert services.ledger_mismatch(allowance) == {}


def test_running_report_lower_than_the_charge_gives_nothing_back(allowance):
    """An older sacct file of a job still running says less than was charged: not the job's
    last word (it ran on), so nothing is given back."""
    gpu.record_job(_job("7002", at("09:00"), None, "RUNNING"), gpu.parse_time(at("12:00")))

    older = gpu.record_job(_job("7002", at("09:00"), None, "RUNNING"), gpu.parse_time(at("11:00")))

    assert (older.charged_now, older.status) == (0, "unchanged")
    assert _row(allowance).used_units == 21_600
    assert _corrections(allowance) == []


def test_capped_job_is_corrected_first_in_the_time_never_taken(allowance):
    """A job that ran beyond the balance was charged only what was left: its correction lowers
    first the time accounted and never taken, and gives back only what was taken beyond what
    the job really used."""
    services.adjust(allowance, -(allowance.granted_units - 10_000), "測試額度", None)
    gpu.record_job(_job("7003", at("09:00"), None, "RUNNING"), gpu.parse_time(at("12:00")))
    gpu.record_job(_job("7004", at("09:00"), None, "RUNNING"), gpu.parse_time(at("12:00")))
    assert _row(allowance).state == AllowanceState.EXHAUSTED

    # 7003 used 2 hours (14,400), more than the 10,000 taken: nothing to give back.
    final = gpu.parse_time(at("13:00"))
    kept = gpu.record_job(_job("7003", at("09:00"), at("11:00"), "COMPLETED"), final)
    # 7004 took nothing (the balance was gone): nothing to give back either.
    none_taken = gpu.record_job(_job("7004", at("09:00"), at("09:30"), "COMPLETED"), final)

    assert [(r.charged_now, r.charged_seconds) for r in (kept, none_taken)] == [
        (0, 14_400),
        (0, 3_600),
    ]
    row = _row(allowance)
    assert (row.used_units, row.exact_units, row.state) == (
        10_000,
        18_000,
        AllowanceState.EXHAUSTED,
    )
    assert services.ledger_mismatch(allowance) == {}


def test_capped_job_that_used_less_than_was_taken_gets_the_rest_back(allowance):
    """Capped at 10,000 GPU-seconds while running, the job's final record says it used 3,600:
    6,400 given back, and the award used up by it is usable again."""
    services.adjust(allowance, -(allowance.granted_units - 10_000), "測試額度", None)
    gpu.record_job(_job("7005", at("09:00"), None, "RUNNING"), gpu.parse_time(at("12:00")))

    final = gpu.record_job(
        _job("7005", at("09:00"), at("09:30"), "CANCELLED"), gpu.parse_time(at("13:00"))
    )

    assert (final.charged_now, final.status) == (-6_400, "corrected")
    row = _row(allowance)
    assert (row.used_units, row.exact_units, row.state) == (3_600, 3_600, AllowanceState.ACTIVE)
    assert _corrections(allowance) == [(6_400, -18_000, "slurm:taiwania:7005:3600:correction1")]
    assert services.ledger_mismatch(allowance) == {}


def test_requeued_run_after_a_correction_is_charged_up_to_a_total_seen_before(allowance):
    """After a correction the next run may bring the job back to a total it was charged before:
    that charge's ledger source must be new, or it is taken for a repeat and charged nothing."""
    gpu.record_job(_job("7006", at("09:00"), None, "RUNNING"), gpu.parse_time(at("12:00")))
    gpu.record_job(_job("7006", at("09:00"), at("10:00"), "REQUEUED"), gpu.parse_time(at("12:00")))

    second = gpu.record_job(
        _job("7006", at("12:30"), at("14:30"), "COMPLETED"), gpu.parse_time(at("15:00"))
    )

    # 2 GPUs: the first run's hour (7,200) and the second's 2 hours: 21,600 in all again.
    assert (second.charged_now, second.charged_seconds) == (14_400, 21_600)
    assert _row(allowance).used_units == 21_600
    assert services.ledger_mismatch(allowance) == {}


def test_correction_after_the_period_ended_keeps_the_ledger_balanced(call_115):
    from .conftest import make_award

    award = make_award(
        call_115, "04595257", "training",
        starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 10, 31),
    )  # fmt: skip
    allowance = services.open_allowance(award)
    day = "2026-10-31T{}:00+08:00".format
    gpu.record_job(_job("7007", day("20:00"), None, "RUNNING"), gpu.parse_time(day("23:00")))
    assert services.expire(allowance)

    final = gpu.record_job(
        _job("7007", day("20:00"), day("22:00"), "COMPLETED"), gpu.parse_time(day("23:30"))
    )

    entries = LedgerEntry.objects.filter(allowance=allowance)
    assert final.charged_now == -7_200
    assert _row(allowance).used_units == 14_400
    assert sum(entries.values_list("units", flat=True)) == 0
    assert services.ledger_mismatch(allowance) == {}


def test_correction_shows_in_the_api_answer_and_the_usage_csv(client, allowance, company_client):
    token = gpu.issue_token("taiwania")
    job = {"job_id": "7008", "account": ACCOUNT, "gpus": 2, "start": at("09:00"),
           "end": None, "state": "RUNNING"}  # fmt: skip
    gpu.record_job(gpu.record_from_json(job, "taiwania"), gpu.parse_time(at("12:00")))

    response = client.post(
        reverse("grants:api-gpu-jobs"),
        data=json.dumps([{**job, "end": at("10:00"), "state": "COMPLETED"}]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    assert_documented(response, "/gpu/jobs", "post")
    body = response.json()
    assert (body["charged_gpu_seconds"], body["jobs"][0]["status"]) == (-14_400, "corrected")
    download = company_client(allowance.company).get(reverse("grants:csv", args=[allowance.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    corrections = [row[1:] for row in rows if row[1] == "用量更正"]
    # Dated, as used, at the end of the time the charge it corrects covered (12:00).
    assert corrections == [
        [
            "用量更正", "slurm:taiwania:7008:7200:correction1", "", "-14400", "14400", "8",
            "2026-11-20 12:00:00",
        ]
    ]  # fmt: skip


def test_usage_page_counts_a_correction_on_its_day_without_a_negative_bar(
    allowance, company_client
):
    """Charged 14 hours of 2 GPUs up to 23:00 on the 20th (56 points, 1 point being 1,800
    GPU-seconds), 2 more up to 01:00 on the 21st (8 points), then the job is reported to have
    ended at 10:00 on the 20th: the 15 hours given back are dated with the charge they correct,
    at 01:00 on the 21st. That day reads -52 points and draws no bar below the baseline (a
    negative height, which the SVG cannot draw)."""
    running = _job("7009", at("09:00"), None, "RUNNING")
    gpu.record_job(running, gpu.parse_time(at("23:00")))
    gpu.record_job(running, gpu.parse_time("2026-11-21T01:00:00+08:00"))
    gpu.record_job(
        _job("7009", at("09:00"), at("10:00"), "COMPLETED"),
        gpu.parse_time("2026-11-21T09:00:00+08:00"),
    )

    response = company_client(allowance.company).get(reverse("grants:detail", args=[allowance.pk]))

    days = dict(response.context["days"])
    assert (days[datetime.date(2026, 11, 20)], days[datetime.date(2026, 11, 21)]) == ("56", "-52")
    heights = [bar["height"] for bar in response.context["chart"]["bars"]]
    assert min(heights) == 0 and max(heights) > 0
    assert services.ledger_mismatch(allowance) == {}


def test_import_sacct_says_what_a_final_record_gave_back(allowance, tmp_path):
    from django.core.management import call_command

    from aipower.core.models import AuditEntry

    running, finished = tmp_path / "running.txt", tmp_path / "finished.txt"
    header = "JobID|Account|AllocTRES|Start|End|State\n"
    running.write_text(f"{header}7010|{ACCOUNT}|gres/gpu=2|2026-11-20T09:00:00|Unknown|RUNNING\n")
    finished.write_text(
        f"{header}7010|{ACCOUNT}|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
    )

    def run(path, now):
        out = io.StringIO()
        call_command("import_sacct", str(path), "--cluster", "taiwania", "--now", now, stdout=out)
        return out.getvalue()

    run(running, "2026-11-20T12:00:00")
    output = run(finished, "2026-11-20T13:00:00")

    assert output == "1 jobs, 0 GPU-seconds charged, 14400 given back, 0 with an unknown account\n"
    entry = AuditEntry.objects.filter(action="grants.import_sacct").latest("id")
    assert entry.data["given_back_gpu_seconds"] == 14_400
    assert _row(allowance).used_units == 7_200


def test_staff_months_count_the_points_given_back(allowance, call_115):
    """The staff's points used per month took the charge and left out what was given back."""
    from aipower.grants import staff_views

    gpu.record_job(_job("7011", at("09:00"), None, "RUNNING"), gpu.parse_time(at("12:00")))
    gpu.record_job(_job("7011", at("09:00"), at("10:00"), "COMPLETED"), gpu.parse_time(at("13:00")))

    # 2 GPUs × 1 hour = 7,200 GPU-seconds = 4 points (of the 12 charged while it ran).
    assert staff_views._months(call_115, ["training"]) == [(datetime.date(2026, 11, 1), ["4"])]
