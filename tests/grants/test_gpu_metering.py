"""GPU-hour metering end to end: the sacct importer, the ingest API with its token, and the
cluster export."""

import dataclasses
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from aipower.grants import gpu, services
from aipower.grants.models import Allowance, AllowanceState, ClusterToken, GpuJob, LedgerEntry

pytestmark = pytest.mark.integration

DATA = Path(__file__).parent / "data"
ACCOUNT = "aip115-04595257"


def _import(name, now):
    out = io.StringIO()
    call_command(
        "import_sacct",
        str(DATA / name),
        "--cluster",
        "taiwania",
        "--now",
        now,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


@pytest.fixture
def period_award(call_115):
    """A training award whose period holds the jobs of the sacct files (20–21 Nov 2026)."""
    from .conftest import make_award

    return make_award(
        call_115, "04595257", "training",
        starts_on=datetime.date(2026, 11, 1), ends_on=datetime.date(2027, 1, 30),
    )  # fmt: skip


@pytest.fixture
def allowance(period_award):
    return services.open_allowance(period_award)


def _used(allowance):
    return Allowance.objects.get(pk=allowance.pk).used_units


def test_import_sacct_charges_finished_and_running_jobs(allowance):
    output = _import("sacct_running.txt", "2026-11-21T10:00:00+08:00")

    assert output == "5 jobs, 50400 GPU-seconds charged, 1 with an unknown account\n"
    assert _used(allowance) == 36_000 + 14_400
    jobs = {j.job_id: (j.gpus, j.gpu_seconds, j.charged_seconds) for j in GpuJob.objects.all()}
    assert jobs == {
        "1001": (4, 36_000, 36_000),
        "1002": (2, 14_400, 14_400),
        "1003": (0, 0, 0),
        "1004": (1, 0, 0),
        "1005": (1, 3_600, 0),
    }
    sources = sorted(
        LedgerEntry.objects.filter(kind=LedgerEntry.Kind.USAGE).values_list("source", flat=True)
    )
    assert sources == ["slurm:taiwania:1001:36000", "slurm:taiwania:1002:14400"]


def test_import_sacct_again_charges_nothing(allowance):
    _import("sacct_running.txt", "2026-11-21T10:00:00+08:00")

    output = _import("sacct_running.txt", "2026-11-21T10:00:00+08:00")

    assert output.startswith("5 jobs, 0 GPU-seconds charged")
    assert _used(allowance) == 50_400
    assert services.ledger_mismatch(allowance) == {}


def test_import_sacct_running_job_reported_again_charges_the_difference(allowance):
    _import("sacct_running.txt", "2026-11-21T10:00:00+08:00")

    later = _import("sacct_running.txt", "2026-11-21T11:00:00+08:00")
    finished = _import("sacct_finished.txt", "2026-11-22T00:00:00+08:00")

    assert later.startswith("5 jobs, 7200 GPU-seconds charged")
    assert finished.startswith("2 jobs, 7200 GPU-seconds charged")
    assert _used(allowance) == 36_000 + 28_800
    job = GpuJob.objects.get(job_id="1002")
    assert (job.state, job.charged_seconds) == ("COMPLETED", 28_800)


def test_import_sacct_stops_at_the_allowance(period_award):
    allowance = services.open_allowance(period_award)
    services.adjust(allowance, -1_790_000, "測試額度", None)

    _import("sacct_running.txt", "2026-11-21T10:00:00+08:00")

    row = Allowance.objects.get(pk=allowance.pk)
    assert (row.used_units, row.exact_units, row.state) == (
        10_000,
        50_400,
        AllowanceState.EXHAUSTED,
    )


def test_import_sacct_refuses_unreadable_input(allowance, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("JobID|Account\n1|a\n")

    with pytest.raises(Exception, match="lacks the columns"):
        call_command("import_sacct", str(bad), "--cluster", "taiwania")


# --- The API ------------------------------------------------------------------------------


@pytest.fixture
def token(db):
    return gpu.issue_token("taiwania")


def _post(client, payload, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        reverse("grants:api-gpu-jobs"),
        data=json.dumps(payload),
        content_type="application/json",
        **headers,
    )


JOB = {
    "cluster": "taiwania",
    "job_id": "2001",
    "account": ACCOUNT,
    "gpus": 8,
    "start": "2026-11-20T09:00:00+08:00",
    "end": "2026-11-20T10:00:00+08:00",
    "state": "COMPLETED",
}


def test_create_cluster_token_prints_it_once_and_stores_the_hash(db):
    out = io.StringIO()

    call_command("create_cluster_token", "taiwania", stdout=out, stderr=io.StringIO())

    printed = out.getvalue().strip()
    stored = ClusterToken.objects.get(cluster="taiwania")
    assert printed.startswith("aipc_")
    assert stored.token_hash == gpu.hash_token(printed)
    assert printed not in stored.token_hash


def test_issuing_or_replacing_a_cluster_token_is_in_the_audit_log_without_it(db):
    from aipower.core.models import AuditEntry

    now = gpu.parse_time("2026-11-20T09:00:00+08:00")
    first = gpu.issue_token("taiwania", now=now)
    second = gpu.issue_token("taiwania", now=now)

    entries = list(AuditEntry.objects.filter(action="grants.issue_cluster_token").order_by("id"))
    stored = ClusterToken.objects.get(cluster="taiwania")
    assert [(e.object_id, e.data) for e in entries] == [
        (str(stored.pk), {"cluster": "taiwania", "replaced": False}),
        (
            str(stored.pk),
            {
                "cluster": "taiwania",
                "replaced": True,
                "previous_valid_until": "2026-11-27T09:00:00+08:00",
            },
        ),
    ]
    assert first not in str([e.data for e in entries]) and second not in str(
        [e.data for e in entries]
    )


def test_ingest_without_token_is_401(client, allowance):
    response = _post(client, [JOB])

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_token"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert GpuJob.objects.count() == 0


def test_ingest_with_bad_or_revoked_token_is_401(client, allowance, token):
    bad = _post(client, [JOB], "aipc_not-the-token")
    ClusterToken.objects.update(revoked_at="2026-11-01T00:00:00Z")
    revoked = _post(client, [JOB], token)

    assert (bad.status_code, revoked.status_code) == (401, 401)
    assert GpuJob.objects.count() == 0


def test_ingest_with_good_token_charges_and_is_idempotent(client, allowance, token):
    first = _post(client, [JOB], token)
    again = _post(client, [JOB], token)

    assert first.status_code == 200
    assert first.json() == {
        "cluster": "taiwania",
        "received": 1,
        "charged_gpu_seconds": 28_800,
        "jobs": [
            {
                "job_id": "2001",
                "gpu_seconds": 28_800,
                "charged_gpu_seconds": 28_800,
                "charged_now": 28_800,
                "status": "charged",
            }
        ],
    }
    assert again.json()["charged_gpu_seconds"] == 0
    assert again.json()["jobs"][0]["status"] == "unchanged"
    assert _used(allowance) == 28_800
    assert ClusterToken.objects.get().last_used_at is not None


def test_ingest_invalid_record_applies_nothing(client, allowance, token):
    response = _post(client, [JOB, {**JOB, "job_id": "2002", "gpus": "many"}], token)

    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid_records"
    assert [r["index"] for r in body["records"]] == [1]
    assert GpuJob.objects.count() == 0


def test_ingest_body_must_be_a_json_list(client, allowance, token):
    not_json = client.post(
        reverse("grants:api-gpu-jobs"),
        data="{",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    not_list = _post(client, JOB, token)

    assert (not_json.status_code, not_json.json()["error"]["code"]) == (400, "invalid_json")
    assert (not_list.status_code, not_list.json()["error"]["code"]) == (400, "invalid_payload")


def test_export_lists_active_accounts_and_accounts_to_stop(client, call_115, token):
    from .conftest import make_award

    active = services.open_allowance(make_award(call_115, "04595257", "training"))
    stopped = services.open_allowance(make_award(call_115, "10458575", "training"))
    services.charge_usage(active, 3600, "slurm:taiwania:1:3600")
    services.set_state(stopped, AllowanceState.SUSPENDED)

    response = client.get(reverse("grants:api-gpu-accounts"), HTTP_AUTHORIZATION=f"Bearer {token}")

    body = response.json()
    assert response.status_code == 200
    assert body["cluster"] == "taiwania"
    assert body["active"] == [
        {
            "account": "aip115-04595257",
            "company_ubn": "04595257",
            "gpu_seconds_left": 1_800_000 - 3600,
            "gpu_hours_left": 499.0,
            "starts_on": active.starts_on.isoformat(),
            "ends_on": active.ends_on.isoformat(),
        }
    ]
    assert body["stop"] == [{"account": "aip115-10458575", "reason": "suspended"}]


def test_export_without_token_is_401(client, db):
    assert client.get(reverse("grants:api-gpu-accounts")).status_code == 401


def test_openapi_document_describes_the_served_paths(client, db):
    response = client.get(reverse("grants:api-openapi"))

    spec = response.json()
    assert response.status_code == 200
    assert spec["openapi"].startswith("3.")
    base = spec["servers"][0]["url"]
    served = {base + path for path in spec["paths"]}
    assert served == {
        reverse("grants:api-gpu-jobs"),
        reverse("grants:api-gpu-accounts"),
        reverse("grants:api-openapi"),
    }
    assert set(spec["paths"]["/gpu/jobs"]) == {"post"}
    assert set(spec["paths"]["/gpu/jobs"]["post"]["responses"]) == {
        "200",
        "400",
        "401",
        "405",
        "413",
        "429",
    }


def test_openapi_examples_are_accepted_by_the_api(client, allowance, token):
    spec = json.loads((Path(gpu.__file__).parent / "openapi.json").read_text())
    example = spec["paths"]["/gpu/jobs"]["post"]["requestBody"]["content"]["application/json"][
        "example"
    ]
    result_fields = set(spec["components"]["schemas"]["JobResult"]["properties"])

    response = _post(client, example, token)

    assert response.status_code == 200
    assert set(response.json()["jobs"][0]) == result_fields
    assert set(response.json()) == set(spec["components"]["schemas"]["IngestResult"]["properties"])


def test_cluster_api_is_rate_limited_per_cluster(client, allowance, token, settings):
    settings.GRANTS_CLUSTER_RATE_LIMIT = 2
    other = gpu.issue_token("forerunner")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    statuses = [
        _post(client, [], token).status_code,
        client.get(reverse("grants:api-gpu-accounts"), **headers).status_code,
    ]
    refused = _post(client, [JOB], token)
    elsewhere = _post(client, [], other)

    assert statuses == [200, 200]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "rate_limit_exceeded"
    assert int(refused["Retry-After"]) == 30  # one request every 60 / 2 seconds
    assert _used(allowance) == 0  # the refused records were not applied
    assert elsewhere.status_code == 200


def test_cluster_api_rate_limit_is_shared_by_every_worker_process(client, token, settings):
    # Another worker process (its own limiter object) has answered the cluster's two requests
    # of this minute: this one is refused here too (with a bucket per process it passed).
    from aipower.core.ratelimit import SharedRateLimiter

    settings.GRANTS_CLUSTER_RATE_LIMIT = 2
    other_worker = SharedRateLimiter("cluster-api")
    assert [other_worker.allow("taiwania", 2), other_worker.allow("taiwania", 2)] == [0, 0]

    refused = _post(client, [], token)

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) in (29, 30)


def test_export_never_rounds_the_gpu_hours_left_up(client, call_115, token):
    from .conftest import make_award

    allowance = services.open_allowance(make_award(call_115, "04595257", "training"))
    # 35 GPU-seconds left: 0.0097 GPU-hours, which rounding to the nearest made 0.01.
    services.charge_usage(allowance, allowance.granted_units - 35, "slurm:taiwania:2:x")

    response = client.get(reverse("grants:api-gpu-accounts"), HTTP_AUTHORIZATION=f"Bearer {token}")

    (row,) = response.json()["active"]
    assert (row["gpu_seconds_left"], row["gpu_hours_left"]) == (35, 0.0)


def test_gpu_time_outside_the_period_is_recorded_but_not_charged(call_115):
    from .conftest import make_award

    award = make_award(
        call_115, "04595257", "training",
        starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 10, 31),
    )  # fmt: skip
    allowance = services.open_allowance(award)
    across = gpu.record_from_json(
        {"job_id": "9001", "account": ACCOUNT, "gpus": 2,
         "start": "2026-10-31T22:00:00+08:00", "end": "2026-11-01T03:00:00+08:00"},
        "taiwania",
    )  # fmt: skip
    after = gpu.record_from_json(
        {"job_id": "9002", "account": ACCOUNT, "gpus": 4,
         "start": "2026-11-02T09:00:00+08:00", "end": "2026-11-02T10:00:00+08:00"},
        "taiwania",
    )  # fmt: skip

    results = gpu.record_jobs([across, after])

    # 2 GPUs × 2 hours to midnight after the period's last day; nothing after it.
    assert [(r.gpu_seconds, r.charged_now) for r in results] == [(36_000, 14_400), (14_400, 0)]
    assert _used(allowance) == 14_400
    assert GpuJob.objects.get(job_id="9002").gpu_seconds == 14_400


def test_job_reported_after_the_expiry_is_charged_and_the_ledger_stays_balanced(call_115):
    """A job that ran up to the period's end, reported after the housekeeping expired the award:
    its time in the period is charged and the forfeited remainder given back as much, so the
    ledger's balance is zero, not below."""
    from .conftest import make_award

    award = make_award(
        call_115, "04595257", "training",
        starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 10, 31),
    )  # fmt: skip
    allowance = services.open_allowance(award)
    assert services.expire(allowance)
    late = gpu.record_from_json(
        {"job_id": "9003", "account": ACCOUNT, "gpus": 2,
         "start": "2026-10-31T20:00:00+08:00", "end": "2026-11-01T01:00:00+08:00"},
        "taiwania",
    )  # fmt: skip

    [result] = gpu.record_jobs([late])

    entries = LedgerEntry.objects.filter(allowance=allowance)
    assert result.charged_now == 28_800  # 2 GPUs × the 4 hours before midnight
    assert _used(allowance) == 28_800
    assert sum(entries.values_list("units", flat=True)) == 0
    assert entries.filter(kind="expiry").count() == 2
    assert services.ledger_mismatch(allowance) == {}


def test_ingest_accepts_a_job_cancelled_while_pending(client, allowance, token):
    """Slurm reports a job cancelled before it started with an End and no Start (Start=None):
    the batch is accepted (it was refused whole, 400) and the job charges nothing."""
    cancelled = {
        **JOB,
        "job_id": "2003",
        "start": None,
        "end": "2026-11-20T10:00:00+08:00",
        "state": "CANCELLED by 1000",
    }

    response = _post(client, [JOB, cancelled], token)

    assert response.status_code == 200
    assert [(j["job_id"], j["charged_now"]) for j in response.json()["jobs"]] == [
        ("2001", 28_800),
        ("2003", 0),
    ]
    assert GpuJob.objects.get(job_id="2003").state == "CANCELLED by 1000"


def _job(job_id, start, end, state, gpus=2):
    return gpu.record_from_json(
        {"job_id": job_id, "account": ACCOUNT, "gpus": gpus, "start": start, "end": end,
         "state": state},
        "taiwania",
    )  # fmt: skip


def test_requeued_job_charges_its_new_run_on_top_of_the_earlier_one(allowance):
    """A job requeued after an hour (node failure) runs again from a new start: its reported
    elapsed time shrinks. The new run was charged nothing until it outran the first one."""
    first = _job("3001", "2026-11-20T09:00:00+08:00", None, "RUNNING")
    pending = _job("3001", None, None, "PENDING")
    second = _job("3001", "2026-11-20T11:00:00+08:00", None, "RUNNING")
    finished = _job("3001", "2026-11-20T11:00:00+08:00", "2026-11-20T12:30:00+08:00", "COMPLETED")
    at = "2026-11-20T{}:00+08:00".format

    charged = [
        gpu.record_job(first, gpu.parse_time(at("10:00"))).charged_now,
        gpu.record_job(pending, gpu.parse_time(at("10:30"))).charged_now,
        gpu.record_job(second, gpu.parse_time(at("11:30"))).charged_now,
        gpu.record_job(finished, gpu.parse_time(at("13:00"))).charged_now,
    ]

    # 2 GPUs: one hour of the first run, then the second's half hour and its last hour.
    assert charged == [7_200, 0, 3_600, 7_200]
    job = GpuJob.objects.get(job_id="3001")
    assert (job.gpu_seconds, job.charged_seconds, job.state) == (18_000, 18_000, "COMPLETED")
    assert _used(allowance) == 18_000
    assert services.ledger_mismatch(allowance) == {}


def test_stale_report_of_a_requeued_jobs_earlier_run_changes_nothing(allowance):
    """A re-import of an older sacct file, from before the requeue, charges nothing again."""
    first = _job("3002", "2026-11-20T09:00:00+08:00", "2026-11-20T10:00:00+08:00", "REQUEUED")
    second = _job("3002", "2026-11-20T11:00:00+08:00", "2026-11-20T11:30:00+08:00", "COMPLETED")
    now = gpu.parse_time("2026-11-21T00:00:00+08:00")

    results = gpu.record_jobs([first, second, first, second], now)

    assert [r.charged_now for r in results] == [7_200, 3_600, 0, 0]
    job = GpuJob.objects.get(job_id="3002")
    assert (job.started_at, job.state, job.charged_seconds) == (second.start, "COMPLETED", 10_800)
    assert _used(allowance) == 10_800


def test_import_sacct_is_in_the_audit_log(allowance):
    """The operator's import charges the ledger; it left no trace in the audit log."""
    from aipower.core.models import AuditEntry

    _import("sacct_running.txt", "2026-11-21T10:00:00+08:00")

    entry = AuditEntry.objects.get(action="grants.import_sacct")
    assert entry.data == {
        "cluster": "taiwania",
        "file": str(DATA / "sacct_running.txt"),
        "jobs": 5,
        "charged_gpu_seconds": 50_400,
        "unknown_account_jobs": 1,
    }


def test_job_beyond_the_balance_reports_what_was_taken(client, allowance, token):
    """With 10,000 GPU-seconds left, an 8-GPU hour said it charged 28,800 (the importer too):
    the cluster was told of a charge the balance never took."""
    services.adjust(allowance, -(allowance.granted_units - 10_000), "測試額度", None)

    response = _post(client, [JOB, {**JOB, "job_id": "2002"}], token)
    output = _import("sacct_finished.txt", "2026-11-22T00:00:00+08:00")

    body = response.json()
    assert body["charged_gpu_seconds"] == 10_000
    assert [(j["charged_now"], j["charged_gpu_seconds"], j["status"]) for j in body["jobs"]] == [
        (10_000, 28_800, "capped"),
        (0, 28_800, "capped"),
    ]
    assert output.startswith("2 jobs, 0 GPU-seconds charged")
    row = Allowance.objects.get(pk=allowance.pk)
    assert (row.used_units, row.state) == (row.granted_units, AllowanceState.EXHAUSTED)


def test_export_stops_every_account_that_may_not_run(client, call_115, token):
    """Not started, exhausted (by a charge, before any housekeeping), past its period (before
    the housekeeping expired it), suspended and ended: each listed to stop with its reason."""
    from django.utils import timezone

    from .conftest import make_award

    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    specs = {
        "04595257": {"starts_on": today + day},
        "10458575": {},
        "10458574": {"starts_on": today - 100 * day, "ends_on": today - day},
        "12345675": {},
        "22099131": {},
        "62140097": {},
    }
    rows = {
        ubn: services.open_allowance(make_award(call_115, ubn, "training", **dates))
        for ubn, dates in specs.items()
    }
    services.charge_usage(rows["10458575"], rows["10458575"].granted_units, "slurm:t:1:x")
    services.set_state(rows["12345675"], AllowanceState.SUSPENDED)
    services.set_state(rows["22099131"], AllowanceState.ENDED)

    body = client.get(
        reverse("grants:api-gpu-accounts"), HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()

    assert [row["account"] for row in body["active"]] == ["aip115-62140097"]
    assert body["stop"] == [
        {"account": "aip115-04595257", "reason": "not_started"},
        {"account": "aip115-10458574", "reason": "expired"},
        {"account": "aip115-10458575", "reason": "exhausted"},
        {"account": "aip115-12345675", "reason": "suspended"},
        {"account": "aip115-22099131", "reason": "ended"},
    ]


def test_import_sacct_charges_running_jobs_up_to_when_the_file_was_written(
    training_award, tmp_path
):
    """A sacct file written an hour after a job started, imported later: the running job was
    charged up to the import, time it may never have run (and never given back)."""
    import os

    from django.utils import timezone

    allowance = services.open_allowance(training_award)
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    written = start + datetime.timedelta(hours=1)
    sacct = tmp_path / "sacct.txt"
    sacct.write_text(
        "JobID|Account|AllocTRES|Start|End|State\n"
        f"77|{allowance.account}|gres/gpu=2|{start.isoformat()}|Unknown|RUNNING\n"
    )
    os.utime(sacct, (written.timestamp(), written.timestamp()))

    out = io.StringIO()
    call_command("import_sacct", str(sacct), "--cluster", "taiwania", stdout=out)

    assert out.getvalue().startswith("1 jobs, 7200 GPU-seconds charged")
    assert _used(allowance) == 7_200


def test_points_added_after_a_capped_job_are_not_taken_by_its_overflow(allowance):
    """A job ran 18,800 GPU-seconds beyond the balance (capped: not charged). The operator adds
    20,000 GPU-seconds: the next one-hour job took all of them for the old overflow."""
    services.adjust(allowance, -(allowance.granted_units - 10_000), "測試額度", None)
    now = gpu.parse_time("2026-11-21T00:00:00+08:00")
    gpu.record_job(
        _job("4001", "2026-11-20T09:00:00+08:00", "2026-11-20T13:00:00+08:00", "COMPLETED"), now
    )
    services.adjust(allowance, 20_000, "加發", None)

    result = gpu.record_job(
        _job("4002", "2026-11-20T14:00:00+08:00", "2026-11-20T14:30:00+08:00", "COMPLETED"), now
    )

    assert (result.charged_now, result.status) == (3_600, "charged")
    row = Allowance.objects.get(pk=allowance.pk)
    assert (row.used_units, row.state) == (13_600, AllowanceState.ACTIVE)
    assert services.ledger_mismatch(allowance) == {}


def test_old_running_report_of_a_finished_job_charges_nothing(client, allowance, token):
    """A cluster's spool replays an old 'RUNNING' report after the 'COMPLETED' one: the job was
    charged again from its start up to now, days after it ended."""
    running = {**JOB, "end": None, "state": "RUNNING"}

    first = _post(client, [JOB], token).json()
    replayed = _post(client, [running], token).json()

    assert first["charged_gpu_seconds"] == 28_800
    assert (replayed["charged_gpu_seconds"], replayed["jobs"][0]["status"]) == (0, "unchanged")
    job = GpuJob.objects.get(job_id="2001")
    assert (job.state, job.charged_seconds) == ("COMPLETED", 28_800)
    assert _used(allowance) == 28_800


def test_gpu_charges_send_the_80_and_100_percent_notices_at_once(client, allowance, token):
    """A cluster's report used up the award: the service stopped at once, but the company (and
    the operator) heard of it only from the next daily housekeeping, up to a day later."""
    from aipower.applications.models import SentMail
    from aipower.grants.models import Notice

    services.adjust(allowance, -(allowance.granted_units - 36_000), "測試額度", None)

    eighty = _post(client, [{**JOB, "job_id": "6001"}], token)  # 28,800 of 36,000
    again = _post(client, [{**JOB, "job_id": "6001"}], token)
    used_up = _post(client, [{**JOB, "job_id": "6002"}], token)

    assert [r.status_code for r in (eighty, again, used_up)] == [200, 200, 200]
    kinds = list(Notice.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [Notice.Kind.USED_80, Notice.Kind.USED_100]
    subjects = list(SentMail.objects.order_by("id").values_list("subject", flat=True))
    assert subjects[0].startswith("【AI算力平台】算力點數已使用 80%")
    assert len(subjects) == 2


def test_import_sacct_reads_the_cluster_name_in_any_case(allowance):
    """Jobs are told apart by (cluster, job id): 'Taiwania' is the cluster 'taiwania' (Slurm
    keeps the names in lower case), its jobs charged nothing again; the import was refused."""
    _import("sacct_finished.txt", "2026-11-22T00:00:00+08:00")

    out = io.StringIO()
    call_command(
        "import_sacct", str(DATA / "sacct_finished.txt"), "--cluster", "Taiwania",
        "--now", "2026-11-22T00:00:00+08:00", stdout=out,
    )  # fmt: skip
    with pytest.raises(Exception, match="letters, digits"):
        call_command("import_sacct", "-", "--cluster", "tai wania")

    assert "0 GPU-seconds charged" in out.getvalue()
    assert _used(allowance) == 36_000 + 28_800
    assert set(GpuJob.objects.values_list("cluster", flat=True)) == {"taiwania"}


def test_ingest_takes_the_cluster_field_in_any_case(client, allowance, token):
    """A script that writes the cluster as 'Taiwania' had every record refused ("does not
    match the token's cluster"); it is the token's cluster, and its jobs are recorded as such."""
    response = _post(client, [{**JOB, "cluster": "Taiwania"}], token)

    assert response.status_code == 200, response.content
    assert response.json()["charged_gpu_seconds"] == 28_800
    assert GpuJob.objects.get().cluster == "taiwania"
    mismatch = _post(client, [{**JOB, "cluster": "forerunner"}], token)
    assert mismatch.json()["error"]["code"] == "invalid_records"


def test_a_token_issued_for_another_spelling_replaces_the_clusters_token(client, allowance):
    """'Taiwania' and 'taiwania' were two clusters, each recording every job again."""
    old = gpu.issue_token("taiwania")
    new = gpu.issue_token("Taiwania")

    assert list(ClusterToken.objects.values_list("cluster", flat=True)) == ["taiwania"]
    assert gpu.authenticate(f"Bearer {new}") == gpu.authenticate(f"Bearer {old}") == "taiwania"
    _post(client, [JOB], old)
    _post(client, [{**JOB, "cluster": "TAIWANIA"}], new)
    assert GpuJob.objects.count() == 1
    assert _used(allowance) == 28_800


def test_start_corrected_inside_the_run_is_not_taken_for_a_requeue(allowance):
    """Re-imported in the cluster's right time zone, a running job's start moves an hour later,
    inside the time already charged: it was taken for a new run and charged a second time."""
    running = _job("3003", "2026-11-20T09:00:00+08:00", None, "RUNNING")
    corrected = _job("3003", "2026-11-20T10:00:00+08:00", None, "RUNNING")

    first = gpu.record_job(running, gpu.parse_time("2026-11-20T13:00:00+08:00"))
    again = gpu.record_job(corrected, gpu.parse_time("2026-11-20T13:00:00+08:00"))
    later = gpu.record_job(corrected, gpu.parse_time("2026-11-20T15:00:00+08:00"))

    # 2 GPUs: 4 hours charged; the corrected run is 3 hours by then, 5 two hours later.
    assert [first.charged_now, again.charged_now, later.charged_now] == [28_800, 0, 7_200]
    assert _used(allowance) == 36_000


def test_import_sacct_charges_a_suspended_job_without_its_suspended_time(allowance, tmp_path):
    """A job suspended for an hour of its four (sacct's Elapsed 03:00:00) was charged Start to
    End, the suspended hour included."""
    sacct = tmp_path / "sacct.txt"
    sacct.write_text(
        "JobID|Account|AllocTRES|Start|End|Elapsed|State\n"
        f"8001|{ACCOUNT}|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T13:00:00|03:00:00|COMPLETED\n"
    )

    out = io.StringIO()
    call_command(
        "import_sacct", str(sacct), "--cluster", "taiwania", "--now", "2026-11-21T00:00:00",
        stdout=out,
    )  # fmt: skip

    assert out.getvalue().startswith("1 jobs, 21600 GPU-seconds charged")
    job = GpuJob.objects.get(job_id="8001")
    assert (job.gpu_seconds, job.suspended_seconds, job.charged_seconds) == (21_600, 3600, 21_600)
    assert _used(allowance) == 21_600


def test_ingest_charges_a_suspended_job_without_its_suspended_time(client, allowance, token):
    from .test_gpu_openapi import assert_documented

    response = _post(client, [{**JOB, "suspended_seconds": 1800}], token)

    assert_documented(response, "/gpu/jobs", "post")
    # 8 GPUs × the half hour it ran of its hour.
    assert response.json()["charged_gpu_seconds"] == 14_400
    assert _used(allowance) == 14_400


def test_suspended_time_of_a_running_job_is_not_taken_for_a_requeue(allowance):
    """Suspended an hour, a running job's start corrected inside its run (the hour suspended
    included) is the same run, not a new one charged on top."""
    running = _job("8002", "2026-11-20T09:00:00+08:00", None, "RUNNING")
    corrected = _job("8002", "2026-11-20T11:30:00+08:00", None, "RUNNING")
    at = "2026-11-20T{}:00+08:00".format
    suspended = dataclasses.replace(running, suspended=3600)

    first = gpu.record_job(suspended, gpu.parse_time(at("12:00")))
    again = gpu.record_job(dataclasses.replace(corrected, suspended=0), gpu.parse_time(at("12:00")))

    # 2 GPUs × 2 hours run (of 3, one suspended); the corrected start leaves half an hour.
    assert (first.charged_now, again.charged_now, again.status) == (14_400, 0, "unchanged")
    assert _used(allowance) == 14_400


def test_import_sacct_of_several_clusters_charges_nothing_and_names_the_line(allowance, tmp_path):
    sacct = tmp_path / "sacct.txt"
    sacct.write_text(
        "JobID|Cluster|Account|AllocTRES|Start|End|State\n"
        f"8101|taiwania|{ACCOUNT}|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
        f"8102|forerunner|{ACCOUNT}|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
    )

    with pytest.raises(Exception, match="line 3: a job of the cluster 'forerunner'"):
        call_command("import_sacct", str(sacct), "--cluster", "taiwania", stdout=io.StringIO())

    assert (GpuJob.objects.count(), _used(allowance)) == (0, 0)
