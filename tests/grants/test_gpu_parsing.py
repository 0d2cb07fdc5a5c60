"""Parsing Slurm accounting output and API job records (no database)."""

import datetime
import zoneinfo
from pathlib import Path

import pytest

from aipower.grants import gpu

pytestmark = pytest.mark.unit

DATA = Path(__file__).parent / "data"
TAIPEI = zoneinfo.ZoneInfo("Asia/Taipei")


@pytest.mark.parametrize(
    ("tres", "gpus"),
    [
        ("billing=8,cpu=8,gres/gpu=4,mem=64G,node=1", 4),
        ("billing=16,cpu=16,gres/gpu:a100=2,gres/gpu=2,mem=128G,node=1", 2),
        ("cpu=8,gres/gpu:a100=2,gres/gpu:h100=1,mem=64G", 3),
        ("billing=1,cpu=1,mem=4G,node=1", 0),
        ("", 0),
    ],
)
def test_gpus_from_tres_counts_gpus(tres, gpus):
    assert gpu.gpus_from_tres(tres) == gpus


def test_parse_sacct_skips_steps_and_reads_unknown_times():
    records = gpu.parse_sacct((DATA / "sacct_running.txt").read_text(), "taiwania")

    assert [r.job_id for r in records] == ["1001", "1002", "1003", "1004", "1005"]
    first = records[0]
    assert first.cluster == "taiwania"
    assert first.account == "aip115-04595257"
    assert first.gpus == 4
    assert first.start == datetime.datetime(2026, 11, 20, 9, 0, tzinfo=TAIPEI)
    assert first.end == datetime.datetime(2026, 11, 20, 11, 30, tzinfo=TAIPEI)
    assert first.state == "COMPLETED"
    assert (records[1].gpus, records[1].end, records[1].state) == (2, None, "RUNNING")
    assert (records[3].start, records[3].end) == (None, None)
    assert records[4].state == "CANCELLED by 1234"


def test_parse_sacct_naive_times_in_given_zone():
    text = (
        "JobID|Account|AllocTRES|Start|End|State\n"
        "7|a|gres/gpu=1|2026-11-20T01:00:00|Unknown|RUNNING\n"
    )

    (record,) = gpu.parse_sacct(text, "c1", zoneinfo.ZoneInfo("UTC"))

    assert record.start == datetime.datetime(2026, 11, 20, 1, 0, tzinfo=datetime.UTC)


def test_parse_sacct_columns_in_any_order():
    text = (
        "State|End|Start|AllocTRES|Account|JobID\n"
        "COMPLETED|2026-11-20T10:00:00|2026-11-20T09:00:00|gres/gpu=2|acc|42\n"
    )

    (record,) = gpu.parse_sacct(text, "c1")

    assert (record.job_id, record.account, record.gpus) == ("42", "acc", 2)


def test_parse_sacct_missing_column_is_refused():
    with pytest.raises(gpu.RecordError, match="AllocTRES"):
        gpu.parse_sacct("JobID|Account|Start|End|State\n", "c1")


def test_parse_sacct_bad_time_names_the_line():
    text = "JobID|Account|AllocTRES|Start|End|State\n1|a|gres/gpu=1|yesterday|Unknown|RUNNING\n"

    with pytest.raises(gpu.RecordError, match="line 2"):
        gpu.parse_sacct(text, "c1")


def test_gpu_seconds_is_gpus_times_elapsed():
    start = datetime.datetime(2026, 11, 20, 9, 0, tzinfo=TAIPEI)
    finished = gpu.JobRecord("c", "1", "a", 4, start, start + datetime.timedelta(hours=2.5))
    running = gpu.JobRecord("c", "2", "a", 2, start, None)
    pending = gpu.JobRecord("c", "3", "a", 2, None, None)
    now = start + datetime.timedelta(hours=1)

    assert finished.gpu_seconds(now) == 4 * 9000
    assert running.gpu_seconds(now) == 2 * 3600
    assert pending.gpu_seconds(now) == 0


def test_record_from_json_validates_fields():
    good = gpu.record_from_json(
        {
            "job_id": "9",
            "account": "acc",
            "gpus": 8,
            "start": "2026-11-20T09:00:00+08:00",
            "end": None,
            "state": "RUNNING",
        },
        "c1",
    )

    assert (good.cluster, good.job_id, good.gpus, good.end) == ("c1", "9", 8, None)
    for bad in (
        {"job_id": "9", "account": "acc", "gpus": -1},
        {"job_id": "9", "account": "acc", "gpus": True},
        {"job_id": "", "account": "acc", "gpus": 1},
        {"job_id": "9", "account": "acc", "gpus": 1, "cluster": "other"},
        {
            "job_id": "9",
            "account": "acc",
            "gpus": 1,
            "start": "2026-11-20T10:00:00",
            "end": "2026-11-20T09:00:00",
        },
        {"job_id": "9", "account": "acc", "gpus": 1, "start": 5},
        ["not", "an", "object"],
    ):
        with pytest.raises(gpu.RecordError):
            gpu.record_from_json(bad, "c1")


def test_parse_sacct_without_header_reads_the_documented_columns():
    """``sacct --noheader --parsable2 --format=JobID,Account,AllocTRES,Start,End,State``: the
    first job was taken for a header and the whole file refused (lacks the columns …)."""
    text = (
        "42|acc|billing=4,cpu=4,gres/gpu=2,mem=16G,node=1|2026-11-20T09:00:00|"
        "2026-11-20T10:00:00|COMPLETED\n"
        "42.batch|acc|cpu=4,gres/gpu=2,mem=16G,node=1|2026-11-20T09:00:00|"
        "2026-11-20T10:00:00|COMPLETED\n"
        "43|acc|gres/gpu:a100=4|2026-11-20T09:30:00|Unknown|RUNNING|\n"
    )

    records = gpu.parse_sacct(text, "c1")

    assert [(r.job_id, r.account, r.gpus, r.state) for r in records] == [
        ("42", "acc", 2, "COMPLETED"),
        ("43", "acc", 4, "RUNNING"),
    ]
    assert records[0].end == datetime.datetime(2026, 11, 20, 10, 0, tzinfo=TAIPEI)


def test_parse_sacct_without_header_refuses_other_columns():
    text = "42|acc|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED|01:00:00\n"

    with pytest.raises(gpu.RecordError, match="line 1: without a header line"):
        gpu.parse_sacct(text, "c1")


def test_parse_sacct_refuses_a_line_shifted_by_a_delimiter_inside_a_field():
    """A job named 'a|b' under an extra JobName column moved its account one column: the job
    was charged to the account 'b' (or to none) without a word."""
    text = (
        "JobID|JobName|Account|AllocTRES|Start|End|State\n"
        "42|a|b|acc|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
    )

    with pytest.raises(gpu.RecordError, match="line 2: expected 7 fields, found 8"):
        gpu.parse_sacct(text, "c1")


def test_parse_sacct_reads_real_slurm_quirks():
    """Array tasks and heterogeneous components are jobs of their own, steps of either are
    skipped, a pending array's range too (it was kept as a job of its own: the company's job
    list showed 123_[5-9], 123_[6-9], … as the tasks started), a job cancelled while pending
    has used nothing, `--parsable`'s trailing '|' and extra columns are read."""
    text = (
        "JobID|JobIDRaw|Account|AllocTRES|Start|End|State|\n"
        "123_4|127|acc|billing=4,cpu=4,gres/gpu=2,mem=16G,node=1|2026-11-20T09:00:00|"
        "2026-11-20T10:00:00|COMPLETED|\n"
        "123_4.batch|127.batch|acc|cpu=4,gres/gpu=2,mem=16G,node=1|2026-11-20T09:00:00|"
        "2026-11-20T10:00:00|COMPLETED|\n"
        "123_[5-9]|123|acc||Unknown|Unknown|PENDING|\n"
        "200+0|200|acc|cpu=8,gres/gpu:a100=4,gres/gpu=4,node=1|2026-11-20T09:00:00|"
        "Unknown|RUNNING|\n"
        "200+1|201|acc|cpu=2,gres/gpu:h100=1,node=1|2026-11-20T09:00:00|Unknown|RUNNING|\n"
        "200+0.0|200.0|acc|cpu=8,gres/gpu=4,node=1|2026-11-20T09:00:00|Unknown|RUNNING|\n"
        "300|300|acc||None|2026-11-20T09:05:00|CANCELLED by 1000|\n"
        "301|301|acc|cpu=1,gres/gpu=1|2026-11-20T09:00:00|2026-11-20T09:30:00|OUT_OF_MEMORY|\n"
    )

    records = gpu.parse_sacct(text, "c1")

    assert [(r.job_id, r.gpus, r.state) for r in records] == [
        ("123_4", 2, "COMPLETED"),
        ("200+0", 4, "RUNNING"),
        ("200+1", 1, "RUNNING"),
        ("300", 0, "CANCELLED by 1000"),
        ("301", 1, "OUT_OF_MEMORY"),
    ]
    now = datetime.datetime(2026, 11, 20, 11, 0, tzinfo=TAIPEI)
    assert [r.gpu_seconds(now) for r in records] == [7200, 28_800, 7200, 0, 1800]


def test_parse_sacct_refuses_an_overlong_account_naming_the_line():
    """An account longer than the column holds failed the import with a database error."""
    text = "JobID|Account|AllocTRES|Start|End|State\n1|" + "a" * 65 + "|gres/gpu=1|||PENDING\n"

    with pytest.raises(gpu.RecordError, match="line 2: a JobID or Account longer than 64"):
        gpu.parse_sacct(text, "c1")


def test_record_from_json_refuses_ids_and_accounts_that_are_not_strings():
    """An account sent as a list or an object was taken as its Python text ("['acc']"), a
    job id of 0 was refused as missing."""
    numeric = gpu.record_from_json({"job_id": 0, "account": "acc", "gpus": 1}, "c1")

    assert numeric.job_id == "0"
    for bad in (
        {"job_id": "9", "account": ["acc"], "gpus": 1},
        {"job_id": {"id": 9}, "account": "acc", "gpus": 1},
        {"job_id": True, "account": "acc", "gpus": 1},
    ):
        with pytest.raises(gpu.RecordError):
            gpu.record_from_json(bad, "c1")


def test_parse_sacct_reads_the_suspended_time_from_suspended_or_elapsed():
    """sacct's Elapsed leaves out the time a job stood suspended (Suspended): a job suspended
    for an hour of its four was charged all four."""
    text = (
        "JobID|Elapsed|Account|AllocTRES|Start|End|State|Suspended\n"
        "51|03:00:00|acc|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T13:00:00|COMPLETED|01:00:00\n"
        "52|1-01:00:00|acc|gres/gpu=1|2026-11-19T09:00:00|2026-11-20T13:00:00|COMPLETED|\n"
        "53|INVALID|acc|gres/gpu=1|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED|\n"
        "54|00:30:00|acc|gres/gpu=1|2026-11-20T12:00:00|Unknown|RUNNING|\n"
    )
    now = datetime.datetime(2026, 11, 20, 13, 0, tzinfo=TAIPEI)

    records = gpu.parse_sacct(text, "c1")

    assert [(r.suspended, r.elapsed) for r in records] == [
        (3600, 10_800),
        (None, 90_000),
        (None, None),
        (None, 1800),
    ]
    assert [r.suspended_seconds(now) for r in records] == [3600, 10_800, 0, 1800]
    assert [r.gpu_seconds(now) for r in records] == [21_600, 90_000, 3600, 1800]


def test_parse_sacct_bad_duration_names_the_line():
    text = (
        "JobID|Account|AllocTRES|Start|End|State|Suspended\n"
        "1|a|gres/gpu=1|2026-11-20T09:00:00|Unknown|RUNNING|an hour\n"
    )

    with pytest.raises(gpu.RecordError, match="line 2: not a duration"):
        gpu.parse_sacct(text, "c1")


def test_record_from_json_reads_the_suspended_time():
    base = {"job_id": "9", "account": "acc", "gpus": 2, "start": "2026-11-20T09:00:00+08:00",
            "end": "2026-11-20T12:00:00+08:00"}  # fmt: skip
    now = datetime.datetime(2026, 11, 21, tzinfo=TAIPEI)

    suspended = gpu.record_from_json({**base, "suspended_seconds": 3600}, "c1")
    elapsed = gpu.record_from_json({**base, "elapsed_seconds": 5400}, "c1")

    assert (suspended.gpu_seconds(now), elapsed.gpu_seconds(now)) == (14_400, 10_800)
    for bad in (-1, "3600", True, 10**12):
        with pytest.raises(gpu.RecordError, match="suspended_seconds"):
            gpu.record_from_json({**base, "suspended_seconds": bad}, "c1")


def test_parse_sacct_refuses_a_line_of_another_cluster():
    """``sacct -M taiwania,forerunner`` lists both clusters' jobs: imported for taiwania, the
    other cluster's job was charged as taiwania's (a job id both clusters use, twice)."""
    text = (
        "Cluster|JobID|Account|AllocTRES|Start|End|State\n"
        "taiwania|61|acc|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
        "forerunner|61|acc|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"
    )

    with pytest.raises(gpu.RecordError, match="line 3: a job of the cluster 'forerunner'"):
        gpu.parse_sacct(text, "taiwania")
    (record,) = gpu.parse_sacct(text.rsplit("forerunner", 1)[0], "Taiwania")
    assert (record.cluster, record.job_id) == ("Taiwania", "61")
