"""sacct output as a real cluster's operator hands it over: a file saved by an editor, several
runs of sacct appended to one file, a line of it that cannot be charged."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from aipower.grants import gpu
from aipower.grants.management.commands import import_sacct
from aipower.grants.models import Allowance, GpuJob

HEADER = "JobID|Account|AllocTRES|Start|End|State\n"
JOB = "{}|acc|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|COMPLETED\n"


@pytest.mark.unit
def test_a_refused_line_is_named_by_its_line_in_the_file_blank_lines_counted():
    """Blank lines (a trailing one, or between two runs of sacct) were left out of the count:
    the operator was sent to the wrong line."""
    text = HEADER + "\n" + JOB.format(1) + "\n\n" + "2|acc|gres/gpu=1|yesterday|Unknown|RUNNING\n"

    with pytest.raises(gpu.RecordError, match=r"^line 6: not a time: 'yesterday'"):
        gpu.parse_sacct(text, "c1")


@pytest.mark.unit
def test_a_file_saved_with_a_byte_order_mark_is_read_with_its_header():
    """An editor's UTF-8 byte order mark hid the header's JobID: the header was taken for a
    job and the file refused with "line 1: not a time: 'Start'"."""
    (record,) = gpu.parse_sacct("\ufeff" + HEADER + JOB.format(1), "c1")

    assert (record.job_id, record.gpus) == ("1", 2)


@pytest.mark.unit
def test_the_header_of_each_sacct_run_appended_to_one_file_is_skipped():
    """sacct run once per account (or per day) into one file repeats its header line: the
    second was taken for a job and the whole file refused."""
    text = HEADER + JOB.format(1) + "\n" + HEADER + JOB.format(2)
    # sacct --parsable ends each line with '|'
    parsable = "".join(f"{line}|\n" if line else "\n" for line in text.splitlines())

    for output in (text, parsable, text.replace(HEADER, "\ufeff" + HEADER)):
        assert [r.job_id for r in gpu.parse_sacct(output, "c1")] == ["1", "2"]


@pytest.mark.unit
def test_a_header_naming_jobidraw_instead_of_jobid_is_named_as_lacking_it():
    """A header with JobIDRaw (or without JobID) was read as a job line without a header:
    "line 1: not a time: 'Start'"."""
    text = HEADER.replace("JobID", "JobIDRaw") + JOB.format(1)

    with pytest.raises(gpu.RecordError, match="lacks the columns JobID"):
        gpu.parse_sacct(text, "c1")


@pytest.mark.unit
def test_a_gpu_count_beyond_any_job_is_refused_naming_the_line():
    """The API refuses more than MAX_GPUS GPUs; the importer charged a garbled count as
    given (and past the database's integers, failed with a database error)."""
    text = HEADER + JOB.format(1).replace("gres/gpu=2", f"gres/gpu={gpu.MAX_GPUS + 1}")

    with pytest.raises(gpu.RecordError, match=r"^line 2: .*GPUs"):
        gpu.parse_sacct(text, "c1")


@pytest.mark.integration
def test_import_sacct_refuses_a_file_not_in_utf8_naming_its_line(db, tmp_path):
    """A file in Big5 (a JobName typed in Chinese, sacct run in a Big5 locale) stopped the
    import with a Python traceback instead of saying which line is not UTF-8."""
    path = tmp_path / "sacct.txt"
    path.write_bytes((HEADER + JOB.format(1)).encode() + "2|acc|訓練||||\n".encode("big5"))

    with pytest.raises(CommandError, match=r"sacct\.txt: line 3 is not UTF-8 text"):
        call_command("import_sacct", str(path), "--cluster", "c1", stdout=io.StringIO())
    assert not GpuJob.objects.exists()


# --- The ingest API -----------------------------------------------------------------------

ACCOUNT = "aip115-04595257"
RECORD = {
    "job_id": "3001",
    "account": ACCOUNT,
    "gpus": 4,
    "start": "2026-11-20T09:00:00+08:00",
    "end": "2026-11-20T10:00:00+08:00",
    "state": "COMPLETED",
}


@pytest.fixture
def allowance(gpu_allowance):
    return gpu_allowance


def _post(client, records):
    token = gpu.issue_token("taiwania")
    return client.post(
        reverse("grants:api-gpu-jobs"),
        data=json.dumps(records),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


@pytest.mark.integration
@pytest.mark.parametrize(
    ("job_id", "says"),
    [
        ("3001.batch", "a job step"),
        ("3001.extern", "a job step"),
        ("3001.0", "a job step"),
        ("3001_7.batch", "a job step"),
        ("3001+1.0", "a job step"),
        ("3001_[1-3]", "pending tasks"),
    ],
)
def test_ingest_refuses_a_slurm_job_step_or_pending_array_range(client, allowance, job_id, says):
    """The importer skips steps, which run inside the job's allocation; the API took a step a
    cluster's script sent from sacct without --allocations for a job of its own and charged
    its GPUs again on top of the job's."""
    response = _post(client, [RECORD, {**RECORD, "job_id": job_id}])

    assert response.status_code == 400
    (error,) = response.json()["error"]["records"]
    assert error["index"] == 1
    assert job_id in error["message"]
    assert says in error["message"]
    assert Allowance.objects.get(pk=allowance.pk).used_units == 0
    assert not GpuJob.objects.exists()


@pytest.mark.integration
def test_ingest_still_takes_array_tasks_and_heterogeneous_components(client, allowance):
    records = [{**RECORD, "job_id": job_id} for job_id in ("3001", "3002_7", "3003+1")]

    response = _post(client, records)

    assert response.status_code == 200
    assert response.json()["charged_gpu_seconds"] == 3 * 4 * 3600


@pytest.mark.integration
def test_requeued_runs_listed_by_duplicates_are_each_charged_once(allowance):
    """sacct --duplicates lists a requeued job's earlier runs (state REQUEUED) before its
    latest: each run is charged, and importing the next night's file again charges only the
    latest run's new time."""
    first = HEADER + (
        f"7|{ACCOUNT}|gres/gpu=2|2026-11-20T09:00:00|2026-11-20T10:00:00|REQUEUED\n"
        f"7|{ACCOUNT}|gres/gpu=2|2026-11-20T10:30:00|2026-11-20T11:00:00|NODE_FAIL\n"
        f"7|{ACCOUNT}|gres/gpu=2|2026-11-20T11:30:00|Unknown|RUNNING\n"
    )
    # 2 GPUs: 1 h, 0.5 h, then 0.5 h up to 12:00 (04:00 UTC is 12:00 in Taipei); the same
    # file again charges nothing.
    now = datetime.datetime(2026, 11, 20, 4, 0, tzinfo=datetime.UTC)
    gpu.record_jobs(gpu.parse_sacct(first, "taiwania"), now)
    gpu.record_jobs(gpu.parse_sacct(first, "taiwania"), now)
    assert Allowance.objects.get(pk=allowance.pk).used_units == 2 * (3600 + 1800 + 1800)

    later = first.replace("Unknown|RUNNING", "2026-11-20T13:00:00|COMPLETED")
    gpu.record_jobs(gpu.parse_sacct(later, "taiwania"), now + datetime.timedelta(hours=2))

    assert Allowance.objects.get(pk=allowance.pk).used_units == 2 * (3600 + 1800 + 5400)
    assert GpuJob.objects.get().state == "COMPLETED"


# --- What the operator is told to run -----------------------------------------------------

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.unit
def test_the_sacct_command_the_operator_is_given_lists_every_job_of_the_days_before():
    """The documented `sacct --parsable2 --allocations --format=…` lists, without --starttime,
    only jobs since midnight (a nightly run missed every job of the day before: none was
    charged) and, run by another user than root, only that user's jobs; without --duplicates a
    requeued job's earlier runs are missing. The importer's --help and the operations guide
    give the one command."""
    command = import_sacct.SACCT_COMMAND
    for option in ("--allocations", "--allusers", "--duplicates", "--starttime", "--endtime"):
        assert option in command
    assert f"--format={','.join(gpu.SACCT_COLUMNS)}" in command
    parser = import_sacct.Command().create_parser("manage.py", "import_sacct")
    assert "".join(command.split()) in "".join(parser.format_help().split())
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    assert f"`{command}`" in " ".join(operations.split())


@pytest.mark.unit
@pytest.mark.parametrize(
    ("text", "number", "shown"),
    [
        # sacct without --parsable2: columns padded with spaces.
        (
            "JobID           Account  AllocTRES      Start                End    State\n"
            "------------ ---------- ---------- ------------------- ---------- ------\n",
            1,
            "JobID",
        ),
        # sacct's own error, sent into the file with 2>&1.
        (HEADER + JOB.format(1) + "sacct: error: Problem talking to the database\n", 3, "sacct"),
    ],
)
def test_a_line_without_delimiters_is_named_as_not_parsable_output(text, number, shown):
    """Output without '|' was refused as "without a header line the columns are …" or "a '|'
    inside a field?", sending the operator after the wrong cause; the line is now shown."""
    with pytest.raises(gpu.RecordError) as refused:
        gpu.parse_sacct(text, "c1")

    message = str(refused.value)
    assert message.startswith(f"line {number}: not sacct --parsable2 output (no '|')")
    assert f": '{shown}" in message


@pytest.mark.integration
def test_import_sacct_warns_when_no_job_allocated_a_gpu(allowance, tmp_path):
    """Slurm records GPUs in AllocTRES only when slurm.conf's AccountingStorageTRES names
    gres/gpu (its default does not): on such a cluster every job read 0 GPUs and the import
    said only "0 GPU-seconds charged"."""
    path = tmp_path / "sacct.txt"
    no_gpus = JOB.replace("acc|gres/gpu=2", f"{ACCOUNT}|billing=8,cpu=8,mem=64G,node=1")
    path.write_text(HEADER + no_gpus.format(1) + no_gpus.format(2))
    err = io.StringIO()

    call_command("import_sacct", str(path), "--cluster", "c1", stdout=io.StringIO(), stderr=err)

    assert "no job allocated a GPU" in err.getvalue()
    assert "AccountingStorageTRES=gres/gpu" in err.getvalue()

    path.write_text(HEADER + JOB.format(3).replace("acc", ACCOUNT) + no_gpus.format(4))
    err = io.StringIO()
    call_command("import_sacct", str(path), "--cluster", "c1", stdout=io.StringIO(), stderr=err)
    assert "AccountingStorageTRES" not in err.getvalue()


@pytest.mark.parametrize("content", ["", HEADER, "\n\n"])
def test_import_sacct_warns_about_a_file_without_a_job(db, tmp_path, content):
    """An empty file (sacct failed or its output went elsewhere) said only "0 jobs, 0
    GPU-seconds charged", as a quiet night would: a night's charges missing unnoticed."""
    path = tmp_path / "sacct.txt"
    path.write_text(content)
    err = io.StringIO()

    call_command("import_sacct", str(path), "--cluster", "c1", stdout=io.StringIO(), stderr=err)

    assert f"{path} holds no job" in err.getvalue()


def test_import_sacct_with_jobs_does_not_say_the_file_holds_none(allowance, tmp_path):
    path = tmp_path / "sacct.txt"
    path.write_text(HEADER + JOB.format(5).replace("acc", ACCOUNT))
    err = io.StringIO()

    call_command("import_sacct", str(path), "--cluster", "c1", stdout=io.StringIO(), stderr=err)

    assert "holds no job" not in err.getvalue()


@pytest.mark.unit
def test_a_date_without_its_time_of_day_is_refused_naming_the_line():
    """sacct run with SLURM_TIME_FORMAT=%F (a user's setting for shorter dates) prints dates
    only: each was read as midnight, a job of 09:00 to 17:00 charged nothing and one across
    midnight a whole day."""
    text = HEADER + "1|acc|gres/gpu=2|2026-11-20|2026-11-21|COMPLETED\n"

    with pytest.raises(gpu.RecordError, match=r"^line 2: .*'2026-11-20'.*time of day"):
        gpu.parse_sacct(text, "c1")
    with pytest.raises(gpu.RecordError, match="time of day"):
        gpu.record_from_json({**RECORD, "start": "2026-11-20"}, "taiwania")


@pytest.mark.integration
def test_a_requeued_jobs_runs_are_each_charged_in_whatever_order_they_come(allowance):
    """The runs of a requeued job (sacct --duplicates, or an API batch) were charged only when
    listed earliest first: the latest run first made the earlier one a stale report, its
    GPU time never charged."""
    runs = [
        ("2026-11-20T10:30:00", "2026-11-20T11:00:00", "COMPLETED"),
        ("2026-11-20T09:00:00", "2026-11-20T10:00:00", "REQUEUED"),
    ]
    text = HEADER + "".join(f"8|{ACCOUNT}|gres/gpu=2|{s}|{e}|{state}\n" for s, e, state in runs)
    now = datetime.datetime(2026, 11, 20, 4, 0, tzinfo=datetime.UTC)

    results = gpu.record_jobs(gpu.parse_sacct(text, "taiwania"), now)

    assert [r.gpu_seconds for r in results] == [2 * (1800 + 3600), 2 * 3600]  # as reported
    assert Allowance.objects.get(pk=allowance.pk).used_units == 2 * (1800 + 3600)
    job = GpuJob.objects.get()
    assert (job.state, job.gpu_seconds) == ("COMPLETED", 2 * (1800 + 3600))


@pytest.mark.integration
def test_import_sacct_names_the_accounts_no_award_has(allowance, tmp_path):
    """The import listed only the job ids of unknown accounts: the operator had to look each
    job up on the cluster to learn which account (a typo in sacctmgr, an award not opened)."""
    path = tmp_path / "sacct.txt"
    path.write_text(
        HEADER
        + JOB.format(1).replace("acc", "aip115-99999999")
        + JOB.format(2).replace("acc", "AIP115-88888888")
        + JOB.format(3).replace("acc", "aip115-99999999")
        + JOB.format(4).replace("acc", ACCOUNT)
    )
    err = io.StringIO()

    call_command("import_sacct", str(path), "--cluster", "c1", stdout=io.StringIO(), stderr=err)

    assert "aip115-88888888 (2)" in err.getvalue()
    assert "aip115-99999999 (1, 3)" in err.getvalue()
    assert ACCOUNT not in err.getvalue()


@pytest.mark.integration
def test_import_sacct_reads_a_file_saved_on_windows(allowance, tmp_path):
    """A file opened and saved again in Notepad: a byte order mark, CRLF line ends, a blank
    line at its end; with or without its header line."""
    lines = [JOB.format(1).replace("acc", ACCOUNT), JOB.format(2).replace("acc", ACCOUNT)]
    for name, text in (("with.txt", HEADER + "".join(lines)), ("without.txt", "".join(lines))):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + (text + "\n").replace("\n", "\r\n").encode())
        out = io.StringIO()

        call_command("import_sacct", str(path), "--cluster", "c1", stdout=out)

        assert out.getvalue().startswith("2 jobs, ")
    assert Allowance.objects.get(pk=allowance.pk).used_units == 2 * 2 * 3600
