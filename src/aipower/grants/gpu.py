"""GPU-hour metering of training awards: job records from the cluster, charged as GPU-seconds.

Records arrive through the ingest API or the Slurm importer (``sacct --parsable2``). A job is
identified by (cluster, job id); each report charges only the GPU-seconds not yet charged, so a
re-import charges nothing and a running job reported again charges the difference. A job
reported with a start after the time already accounted to it was requeued and runs again: its
earlier runs stay charged and the new run's time is added; a report with an earlier start (or
none, pending again), or one of a finished run as still running (replayed), changes nothing.
GPU-seconds = GPUs × elapsed seconds (to now while the job runs), less the time the job was
suspended when the record says (sacct's ``Suspended``, or its ``Elapsed``, which leaves suspended
time out); only those inside the award's period are charged (``period_window``). A charge is
dated (``LedgerEntry.used_at``: the usage chart's day, the staff's month) by the end of the time
it covers, not by when it was reported: the job's end, or the report's moment while it runs; a
correction by the end of the time the charges it corrects covered (``_dated``). Cluster and
account names are kept and matched in lower case, as Slurm keeps them (``cluster_name``,
``cluster_account``).
"""

import dataclasses
import datetime
import hashlib
import re
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from aipower.core import audit

from . import housekeeping
from .models import Allowance, AllowanceState, ClusterToken, GpuJob
from .services import charge_usage, correct_usage

SACCT_COLUMNS = ("JobID", "Account", "AllocTRES", "Start", "End", "State")
# Read when the header names them, in any order: the time the job was suspended, given directly
# or as the running time that leaves it out (sacct computes Elapsed as End or now − Start −
# Suspended: src/plugins/accounting_storage/mysql/as_mysql_jobacct_process.c).
SACCT_DURATIONS = {"Suspended": "suspended", "Elapsed": "elapsed", "ElapsedRaw": "elapsed"}
SACCT_DURATION = re.compile(r"^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+)$")
# What sacct prints for a duration it cannot tell (a negative one, none): as if not reported.
UNKNOWN_DURATIONS = {"", "invalid", "unlimited", "unknown", "none", "n/a"}
# Longer than any job runs: bounds a duration well inside the database's integers.
MAX_DURATION_SECONDS = 10 * 366 * 86_400
UNKNOWN_TIMES = {"", "unknown", "none", "n/a"}
GPU_TRES = re.compile(r"^gres/gpu(?::[^=]+)?=(\d+)$")
# More than any job allocates; bounds GPU-seconds well inside the database's integers.
MAX_GPUS = 100_000
TOKEN_PREFIX = "aipc_"  # noqa: S105 (a visible prefix, not a secret)
# How long a replaced cluster token keeps working beside the new one.
ROTATION_OVERLAP = datetime.timedelta(days=7)
# A cluster's name as sacct and the account export write it.
CLUSTER_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Slurm's ids that are no job of their own: a step (1234.batch, 1234.extern, 1234_5.0,
# 1234+1.0) runs inside its job's allocation, which the job's record charges; an array's
# pending range (1234_[5-9]) has used nothing, each task reported as 1234_5 once it starts.
SLURM_STEP = re.compile(r"\d+(?:_\d+|\+\d+)?\.(?:batch|extern|interactive|\d+)")
SLURM_PENDING_RANGE = re.compile(r"\d+_\[[^\]]*\]")


class RecordError(ValueError):
    """A job record that cannot be used, with the reason."""


@dataclasses.dataclass(frozen=True)
class JobRecord:
    cluster: str
    job_id: str
    account: str
    gpus: int
    start: datetime.datetime | None
    end: datetime.datetime | None
    state: str = ""
    # As the scheduler reported them (None: not reported): the seconds the job was suspended,
    # or its running time without them.
    suspended: int | None = None
    elapsed: int | None = None

    def suspended_seconds(self, now):
        """The seconds the job was suspended: as reported, else what its time from start to
        end (or now) exceeds its reported running time by; 0 when neither was reported."""
        if self.start is None:
            return 0
        if self.suspended is not None:
            return self.suspended
        if self.elapsed is not None:
            wall = int(((self.end or now) - self.start).total_seconds())
            return max(0, wall - self.elapsed)
        return 0

    def gpu_seconds(self, now, within=None):
        """GPUs × elapsed seconds without the time suspended; a job not started yet has used
        nothing. ``within``: only the seconds inside that (start, end) window count, less all
        the time suspended (when in the run it was is not reported: never charged)."""
        if self.start is None:
            return 0
        start, end = self.start, self.end or now
        if within is not None:
            start, end = max(start, within[0]), min(end, within[1])
        elapsed = int((end - start).total_seconds()) - self.suspended_seconds(now)
        return self.gpus * max(0, elapsed)


def period_window(allowance):
    """The allowance's period as moments (Asia/Taipei): from its first day's midnight to the
    midnight after its last day. GPU time outside it is recorded but never charged: the points
    are usable only in the period (and are gone after it; the expiry entry forfeited them)."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(allowance.starts_on, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        allowance.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return start, end


@dataclasses.dataclass(frozen=True)
class JobResult:
    job_id: str
    gpu_seconds: int
    charged_seconds: int  # all GPU-seconds accounted for the job so far
    charged_now: int  # GPU-seconds this report took from the award's balance (< 0: gave back)
    # "charged", "capped" (the balance ran out: less, or nothing, taken), "corrected" (the
    # final record reported less than was charged: given back), "unchanged" or
    # "unknown_account"
    status: str
    allowance_id: int | None = None


def cluster_name(name):
    """A cluster's name as it is stored: in lower case, as Slurm keeps it ('Taiwania2' and
    'taiwania2' are one cluster, its jobs told apart by (cluster, job id))."""
    return (name or "").strip().lower()


def cluster_account(name):
    """A scheduler account's name as it is stored and matched: in lower case, as Slurm keeps
    it (sacctmgr stores account names so, and matches them in any case: 'AIP115-12345675' is
    the award's account 'aip115-12345675')."""
    return (name or "").strip().lower()


# --- Tokens -------------------------------------------------------------------------------


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(cluster, *, overlap=True, request=None, now=None):
    """A new bearer token for ``cluster``; returned once, stored only as its SHA-256.

    The token it replaces keeps working for ``ROTATION_OVERLAP`` (or until the operator
    revokes it), so the cluster keeps reporting until it is reconfigured; ``overlap=False``
    (a token that leaked) stops it at once. A revoked token never comes back to life, and a
    token replaced earlier stops when the next one is issued: a cluster holds two at most. The
    issue is in the audit log (never the token), as its revocations are."""
    now = now or timezone.now()
    cluster = cluster_name(cluster)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        row = ClusterToken.objects.select_for_update().filter(cluster=cluster).first()
        replaced = row is not None
        keep = replaced and overlap and row.revoked_at is None
        if row is None:
            row = ClusterToken(cluster=cluster)
        row.previous_token_hash = row.token_hash if keep else None
        row.previous_expires_at = now + ROTATION_OVERLAP if keep else None
        row.previous_last_used_at = row.last_used_at if keep else None
        # The replacement is a new token: when it was made, and not used yet.
        row.token_hash = hash_token(token)
        row.revoked_at = None
        row.created_at = now
        row.last_used_at = None
        row.save()
        details = {"cluster": cluster, "replaced": replaced}
        if keep:
            details["previous_valid_until"] = row.previous_expires_at.isoformat()
        audit.record("grants.issue_cluster_token", request=request, obj=row, **details)
    return token


def revoke_previous_token(row, *, request=None, now=None):
    """Stop the token a new one replaced before its overlap ends (the cluster uses the new
    one); True when there was one still working."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = ClusterToken.objects.filter(
            pk=row.pk, previous_token_hash__isnull=False, previous_expires_at__gt=now
        ).update(previous_token_hash=None, previous_expires_at=now)
        if updated:
            audit.record("grants.revoke_previous_cluster_token", request=request, obj=row)
    return bool(updated)


def authenticate(header, now=None):
    """The cluster named by an ``Authorization: Bearer <token>`` header, or None: its current
    token, or the one that replaced token still in its overlap."""
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    now = now or timezone.now()
    hashed = hash_token(token)
    current = Q(token_hash=hashed)
    previous = Q(previous_token_hash=hashed, previous_expires_at__gt=now)
    found = ClusterToken.objects.filter(current | previous, revoked_at__isnull=True)
    cluster_token = found.first()
    if cluster_token is None:
        return None
    used = "last_used_at" if cluster_token.token_hash == hashed else "previous_last_used_at"
    ClusterToken.objects.filter(pk=cluster_token.pk).update(**{used: now})
    return cluster_token.cluster


# --- Parsing ------------------------------------------------------------------------------


def parse_time(value, tz=None):
    """An ISO 8601 time; a naive one is in ``tz`` (default: the site's zone). None if unknown."""
    if value is None:
        return None
    text = str(value).strip()
    if text.lower() in UNKNOWN_TIMES:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise RecordError(f"not a time: {text!r}") from exc
    if not re.search(r"\d[T ]\d", text):
        # A date alone (sacct with SLURM_TIME_FORMAT=%F) would be read as its midnight.
        raise RecordError(f"not a time: {text!r} has no time of day (SLURM_TIME_FORMAT?)")
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=tz or timezone.get_default_timezone())
    return moment


def gpus_from_tres(tres):
    """The GPU count of a Slurm TRES string such as ``billing=8,cpu=8,gres/gpu=4,mem=64G``.

    ``gres/gpu=N`` is the total; typed entries (``gres/gpu:a100=N``) are used only without it.
    """
    total = None
    typed = 0
    for item in (tres or "").split(","):
        item = item.strip()
        match = GPU_TRES.match(item)
        if not match:
            continue
        if item.startswith("gres/gpu="):
            total = int(match.group(1))
        else:
            typed += int(match.group(1))
    return total if total is not None else typed


def record_from_json(data, cluster):
    """A ``JobRecord`` from one JSON object of the ingest API."""
    if not isinstance(data, dict):
        raise RecordError("a job record is a JSON object")
    named = str(data.get("cluster") or cluster).strip()
    if cluster_name(named) != cluster_name(cluster):
        raise RecordError(f"cluster {named!r} does not match the token's cluster")
    raw_id, account = data.get("job_id"), data.get("account")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | None):
        raise RecordError("job_id is a string (or a whole number)")
    if not isinstance(account, str | None):
        raise RecordError("account is a string")
    job_id = ("" if raw_id is None else str(raw_id)).strip()
    account = cluster_account(account)
    if not job_id or len(job_id) > 64:
        raise RecordError("job_id is required (at most 64 characters)")
    if SLURM_STEP.fullmatch(job_id):
        raise RecordError(
            f"job_id {job_id!r} is a job step, inside its job's allocation: report the job "
            "only (sacct --allocations), or its GPUs are charged twice"
        )
    if SLURM_PENDING_RANGE.fullmatch(job_id):
        raise RecordError(
            f"job_id {job_id!r} names an array's pending tasks: report each task (123_4) "
            "once it starts"
        )
    if not account or len(account) > 64:
        raise RecordError("account is required (at most 64 characters)")
    gpus = data.get("gpus")
    if isinstance(gpus, bool) or not isinstance(gpus, int) or not 0 <= gpus <= MAX_GPUS:
        raise RecordError(f"gpus must be a whole number from 0 to {MAX_GPUS}")
    for key in ("start", "end"):
        if data.get(key) is not None and not isinstance(data.get(key), str):
            raise RecordError(f"{key} must be an ISO 8601 string or null")
    start = parse_time(data.get("start"))
    end = parse_time(data.get("end"))
    # An end without a start is a job that never ran (Slurm's Start=None of a job cancelled
    # while pending): it has used nothing.
    if start is not None and end is not None and end < start:
        raise RecordError("end is before start")
    state = str(data.get("state") or "").strip()[:40]
    durations = {}
    for key, name in (("suspended_seconds", "suspended"), ("elapsed_seconds", "elapsed")):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            raise RecordError(f"{key} must be a whole number of seconds or null")
        if not 0 <= value <= MAX_DURATION_SECONDS:
            raise RecordError(f"{key} must be from 0 to {MAX_DURATION_SECONDS}")
        durations[name] = value
    return JobRecord(cluster, job_id, account, gpus, start, end, state, **durations)


def parse_duration(value):
    """Seconds of a sacct duration (``[days-][hours:]minutes:seconds``, or whole seconds as
    ``ElapsedRaw`` prints them); None when empty or unknown."""
    text = (value or "").strip()
    if text.lower() in UNKNOWN_DURATIONS:
        return None
    if text.isdigit():
        seconds = int(text)
    else:
        match = SACCT_DURATION.match(text)
        if not match:
            raise RecordError(f"not a duration: {text!r}")
        days, hours, minutes, secs = (int(part or 0) for part in match.groups())
        seconds = ((days * 24 + hours) * 60 + minutes) * 60 + secs
    if seconds > MAX_DURATION_SECONDS:
        raise RecordError(f"a duration longer than any job runs: {text!r}")
    return seconds


def parse_sacct(text, cluster, tz=None):
    """Job records from ``sacct --parsable2`` (or ``--parsable``) output; steps skipped.

    With a header line the columns may come in any order among others; without one
    (``--noheader``) they are ``SACCT_COLUMNS`` in that order, as the importer's help asks.
    A ``Cluster`` column (``sacct -M``) must name ``cluster`` on every line: a job of another
    cluster is refused with its line, never charged as one of this cluster's. A refused line
    is named by its number in the file; a header line repeated (sacct run several times into
    one file) and blank lines are skipped.
    """
    # Numbered as in the file, blank lines counted (a refused line is named by its number); an
    # editor's byte order mark left out, at the file's start or a file appended to it.
    lines = [
        (number, line.removeprefix("\ufeff"))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.removeprefix("\ufeff").strip()
    ]
    if not lines:
        return []
    for number, line in lines:
        if "|" not in line:
            # sacct without --parsable2 (columns padded with spaces), or a message of its own
            # sent into the file (2>&1): shown, so the operator sees which.
            raise RecordError(
                f"line {number}: not sacct --parsable2 output (no '|'): {line.strip()[:80]!r}"
            )
    first = [cell.strip() for cell in lines[0][1].split("|")]
    # A header names columns (a job's line never holds one's name): one without JobID (with
    # JobIDRaw, say) is refused as lacking it, not read as a job.
    headerless = not set(first) & {*SACCT_COLUMNS, *SACCT_DURATIONS, "JobIDRaw", "Cluster"}
    if not headerless:
        header, body = first, lines[1:]
        missing = [column for column in SACCT_COLUMNS if column not in header]
        if missing:
            raise RecordError(f"sacct output lacks the columns {', '.join(missing)}")
    else:
        header, body = list(SACCT_COLUMNS), lines
    index = {column: header.index(column) for column in SACCT_COLUMNS}
    # ``sacct -M`` (several clusters) adds a Cluster column: a file is imported for one cluster.
    cluster_at = header.index("Cluster") if "Cluster" in header else None
    durations = {column: header.index(column) for column in SACCT_DURATIONS if column in header}
    records = []
    for number, line in body:
        cells = line.split("|")
        if not headerless and [cell.strip() for cell in cells] == header:
            continue  # the header again: sacct run several times into one file
        extra = cells[len(SACCT_COLUMNS) :]
        if headerless and (len(cells) < len(header) or any(cell.strip() for cell in extra)):
            raise RecordError(
                f"line {number}: without a header line the columns are "
                f"{','.join(SACCT_COLUMNS)} (sacct --format), {len(cells)} fields found"
            )
        if not headerless and len(cells) != len(header):
            # sacct does not escape its delimiter: a '|' inside a free-text field (a JobName)
            # shifts the columns after it, so the line cannot be read safely.
            raise RecordError(
                f"line {number}: expected {len(header)} fields, found {len(cells)} "
                "(a '|' inside a field? leave free-text columns such as JobName out)"
            )
        named = cells[cluster_at].strip() if cluster_at is not None else ""
        # Slurm keeps cluster names in lower case: 'taiwania' is the cluster 'Taiwania'.
        if named and named.lower() != cluster.lower():
            raise RecordError(
                f"line {number}: a job of the cluster {named!r}, not {cluster!r}, whose file "
                f"this is (jobs are charged by cluster and job id: import each cluster's jobs "
                f"with its own --cluster, e.g. sacct -M {named})"
            )
        job_id = cells[index["JobID"]].strip()
        if "." in job_id:  # job steps (1234.batch, 1234.0) repeat the job's allocation
            continue
        if "[" in job_id:
            # An array's tasks not started yet (1234_[5-9]): none has used anything, and each
            # is reported under its own id (1234_5) once it starts; kept, they would stay
            # listed among the company's jobs, one for every shape the range took.
            continue
        account = cluster_account(cells[index["Account"]])
        if len(job_id) > 64 or len(account) > 64:
            raise RecordError(f"line {number}: a JobID or Account longer than 64 characters")
        try:
            start = parse_time(cells[index["Start"]], tz)
            end = parse_time(cells[index["End"]], tz)
            reported = {}
            for column, at in durations.items():
                seconds = parse_duration(cells[at])
                if seconds is not None:
                    reported.setdefault(SACCT_DURATIONS[column], seconds)
        except RecordError as exc:
            raise RecordError(f"line {number}: {exc}") from exc
        gpus = gpus_from_tres(cells[index["AllocTRES"]])
        if gpus > MAX_GPUS:
            raise RecordError(f"line {number}: {gpus} GPUs, more than any job has ({MAX_GPUS})")
        records.append(
            JobRecord(
                cluster=cluster,
                job_id=job_id,
                account=account,
                gpus=gpus,
                start=start,
                end=end,
                state=cells[index["State"]].strip()[:40],
                **reported,
            )
        )
    return records


# --- Charging -----------------------------------------------------------------------------


def _stale(job, record):
    """Whether the report tells nothing new of a job already reported running: pending again
    after a requeue, an earlier run of a requeued job, or the run reported running after it was
    reported finished (a replayed report or an older file, which would charge it up to now)."""
    if job.started_at is None:
        return False
    if record.start is None or record.start < job.started_at:
        return True
    return record.start == job.started_at and job.ended_at is not None and record.end is None


def _accounted_until(job):
    """Up to when the job's last run was accounted: its end, or its start plus the seconds
    counted while it ran. Never before a moment after its start, so a new start counts."""
    if job.ended_at is not None:
        return max(job.ended_at, job.started_at + datetime.timedelta(seconds=1))
    run_seconds = (job.gpu_seconds - job.earlier_gpu_seconds) // job.gpus if job.gpus else 0
    # The time it stood suspended passed too, uncharged.
    run_seconds += job.suspended_seconds
    return job.started_at + datetime.timedelta(seconds=max(1, run_seconds))


def record_job(record, now=None):
    """Store the job's latest report and charge the GPU-seconds not charged yet."""
    now = now or timezone.now()
    account = cluster_account(record.account)
    allowance = Allowance.objects.filter(account=account).first()
    with transaction.atomic():
        job, _created = GpuJob.objects.select_for_update().get_or_create(
            cluster=record.cluster,
            job_id=record.job_id,
            defaults={"account": account, "gpus": record.gpus},
        )
        if _stale(job, record):
            return JobResult(record.job_id, job.gpu_seconds, job.charged_seconds, 0, "unchanged")
        # Up to when the job's earlier reports charged it: a correction is dated there.
        charged_until = _accounted_until(job) if job.started_at is not None else now
        if job.started_at is not None and record.start >= _accounted_until(job):
            # Requeued: a new run after the time accounted to the last one. The earlier runs'
            # time was used and stays charged. (A later start inside that time is the same run
            # with its start corrected, as a re-import in the right time zone gives: charged
            # only beyond what it was.)
            job.earlier_gpu_seconds = job.gpu_seconds
            job.earlier_charged_seconds = job.charged_seconds
        total = job.earlier_gpu_seconds + record.gpu_seconds(now)
        payable = job.earlier_charged_seconds + (
            record.gpu_seconds(now, period_window(allowance))
            if allowance
            else record.gpu_seconds(now)
        )
        charged_to = job.allowance_id
        job.account = account
        job.allowance = allowance
        job.gpus = record.gpus
        job.started_at = record.start
        job.ended_at = record.end
        job.state = record.state
        job.suspended_seconds = record.suspended_seconds(now)
        job.gpu_seconds = total
        due = payable - job.charged_seconds
        charged_now = 0
        status = "unchanged"
        if allowance is None:
            status = "unknown_account"
        elif due > 0:
            entry = charge_usage(
                allowance,
                due,
                _source(record, payable, job.corrections),
                note=f"{record.cluster}:{record.job_id} {record.gpus} GPU",
                now=now,
                used_at=_dated(record.end or now, allowance),
            )
            # Accounted in full, taken only as far as the balance goes (never below zero).
            job.charged_seconds = payable
            charged_now = -entry.units
            job.taken_seconds += charged_now
            status = "charged" if charged_now == due else "capped"
        elif due < 0 and record.end is not None and charged_to == allowance.pk:
            # The final record says the job used less than its reports while it ran were
            # charged (charged up to the report's moment, the job ended earlier; or suspended
            # time, a requeue's earlier end, a corrected start): the difference is given back.
            # Only what was taken beyond what the job owes now: time a cap left untaken is
            # corrected first (it was never charged), so ``used`` never goes below what the
            # job really used. A report of a running job never lowers the charge: it is not
            # the job's last word (an older file, a replayed report).
            given_back = max(0, job.taken_seconds - payable)
            job.corrections += 1
            correct_usage(
                allowance,
                -due,
                given_back,
                _source(record, payable, job.corrections, "correction"),
                note=f"{record.cluster}:{record.job_id} {record.gpus} GPU "
                f"{job.charged_seconds}->{payable}",
                now=now,
                used_at=_dated(charged_until, allowance),
            )
            job.charged_seconds = payable
            job.taken_seconds -= given_back
            charged_now = -given_back
            status = "corrected"
        job.save()
    return JobResult(
        record.job_id, total, job.charged_seconds, charged_now, status, job.allowance_id
    )


def _dated(moment, allowance):
    """The moment a charge covering GPU time up to ``moment`` is dated by (the usage chart's
    day, the staff's month): ``moment`` (a job's end, or the report's time for a running job),
    brought inside the award's period, outside which nothing is charged."""
    start, end = period_window(allowance)
    return min(max(moment, start), end - datetime.timedelta(microseconds=1))


def _source(record, payable, corrections, kind=""):
    """The ledger source of a job's charge (or correction) up to ``payable`` GPU-seconds. After
    a correction the job may be charged up to a total it was charged before (a requeued run):
    the count of corrections keeps that charge's source new."""
    source = f"slurm:{record.cluster}:{record.job_id}:{payable}"
    if kind:
        return f"{source}:{kind}{corrections}"
    return f"{source}:c{corrections}" if corrections else source


def record_jobs(records, now=None):
    """Record the jobs, then send the 80 % and 100 % notices their charges made due, in the
    same transaction (the mails go through the outbox once it commits)."""
    now = now or timezone.now()
    # A job's runs in the order they ran (sacct --duplicates lists a requeued job's runs in no
    # order it documents): a later run first made the earlier one a stale report, never
    # charged. A report without a start (pending again) comes after its job's runs; the
    # answer keeps the order reported.
    order = sorted(
        range(len(records)),
        key=lambda i: (records[i].start is None, records[i].start or now),
    )
    results = [None] * len(records)
    for i in order:
        results[i] = record_job(records[i], now)
    charged = {result.allowance_id for result in results if result.charged_now > 0}
    if charged:
        housekeeping.send_usage_notices(charged, now)
    return results


# --- Export -------------------------------------------------------------------------------


def cluster_accounts(now=None):
    """Which training accounts may run now, with GPU-seconds left, and which must be stopped."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    active, stop = [], []
    allowances = (
        Allowance.objects.filter(account__isnull=False)
        .select_related("company")
        .order_by("account")
    )
    for allowance in allowances:
        left = max(0, allowance.granted_units - allowance.used_units - allowance.reserved_units)
        if allowance.state == AllowanceState.ACTIVE and allowance.starts_on > today:
            reason = "not_started"
        elif allowance.state == AllowanceState.ACTIVE and allowance.ends_on < today:
            reason = AllowanceState.EXPIRED.value
        elif allowance.state == AllowanceState.ACTIVE and left == 0:
            reason = AllowanceState.EXHAUSTED.value
        elif allowance.state != AllowanceState.ACTIVE:
            reason = allowance.state
        else:
            reason = None
        if reason is None:
            active.append(
                {
                    "account": allowance.account,
                    "company_ubn": allowance.company.ubn,
                    "gpu_seconds_left": left,
                    # Rounded down: the cluster is never told of time the account has not.
                    "gpu_hours_left": (left * 100 // 3600) / 100,
                    "starts_on": allowance.starts_on.isoformat(),
                    "ends_on": allowance.ends_on.isoformat(),
                }
            )
        else:
            stop.append({"account": allowance.account, "reason": reason})
    return {"generated_at": now.isoformat(), "active": active, "stop": stop}
