"""``manage.py import_sacct FILE --cluster NAME``: charge GPU time from Slurm accounting.

FILE is the output of ``SACCT_COMMAND`` (``-`` reads standard input): every user's jobs
(``--allusers``; run by another user than root, sacct lists only that user's) from two days
before (without ``--starttime`` sacct lists only the jobs since midnight, and a nightly run would
miss the day before; the days a run lists again charge nothing twice), a requeued job's earlier
runs included (``--duplicates``). With its header line the columns may come in any order among
others; with ``--noheader`` they must be these six in this order. A ``Cluster`` column
(``sacct -M``) must name ``--cluster`` on every line: a job of another cluster is refused with
its line (import each cluster's jobs with its own ``--cluster``, read in lower case); an
``Account`` names the award's 叢集帳號 in any case, as Slurm matches it. sacct
prints the cluster's local time without an offset: those times are read in ``--timezone``
(default: the site's, Asia/Taipei); give the cluster's zone when it differs (or run sacct with
``TZ=...``).
Re-importing charges nothing; a running job charges up to when FILE was written (its
modification time; now for standard input, or ``--now``), then the difference; a finished
job's record that reports less than was charged gives the difference back.
"""

import datetime
import os
import sys
import zoneinfo

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone as dj_timezone

from aipower.core import audit
from aipower.grants import gpu

# What the cluster runs for the importer (docs/operations.md gives it too).
SACCT_COMMAND = (
    "sacct --parsable2 --allocations --allusers --duplicates --starttime=now-2days "
    "--endtime=now --format=" + ",".join(gpu.SACCT_COLUMNS)
)


class Command(BaseCommand):
    help = (
        "Import Slurm sacct --parsable2 output and charge the GPU-seconds not charged yet. "
        f"FILE is the output of: {SACCT_COMMAND}"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="sacct --parsable2 output, or - for standard input")
        parser.add_argument("--cluster", required=True, help="the cluster's name")
        parser.add_argument(
            "--timezone",
            default=None,
            help="the cluster's time zone, in which sacct prints times (default: the site's)",
        )
        parser.add_argument(
            "--now",
            default=None,
            help="charge running jobs up to this ISO time (default: when FILE was written, or "
            "now for standard input)",
        )

    def handle(self, *args, file, cluster, timezone=None, now=None, **options):
        self.check_cluster(cluster)
        cluster = gpu.cluster_name(cluster)
        try:
            tz = zoneinfo.ZoneInfo(timezone) if timezone else None
        except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
            raise CommandError(f"--timezone: unknown zone {timezone!r}") from exc
        try:
            moment = gpu.parse_time(now, tz) if now else None
        except gpu.RecordError as exc:
            raise CommandError(f"--now: {exc}") from exc
        try:
            if file == "-":
                stdin = getattr(sys.stdin, "buffer", None)
                data = stdin.read() if stdin is not None else sys.stdin.read().encode()
            else:
                with open(file, "rb") as handle:
                    data = handle.read()
                    written = os.fstat(handle.fileno()).st_mtime
                if moment is None:
                    # sacct's running jobs ran up to when it wrote the file, not up to this
                    # import (a file copied over later): charged beyond it, never given back.
                    moment = min(
                        datetime.datetime.fromtimestamp(written, tz=datetime.UTC),
                        dj_timezone.now(),
                    )
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        text = self.decode(data, file)
        try:
            records = gpu.parse_sacct(text, cluster, tz)
        except gpu.RecordError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            results = gpu.record_jobs(records, moment)
            charged = sum(r.charged_now for r in results if r.charged_now > 0)
            # Final records that report less than was charged while the jobs ran.
            given_back = -sum(r.charged_now for r in results if r.charged_now < 0)
            unknown = sorted({r.job_id for r in results if r.status == "unknown_account"})
            # The operator's import charges the ledger: in the audit log with what it did.
            audit.record(
                "grants.import_sacct",
                cluster=cluster,
                file=file,
                jobs=len(results),
                charged_gpu_seconds=charged,
                unknown_account_jobs=len(unknown),
                **({"given_back_gpu_seconds": given_back} if given_back else {}),
            )
        back = f", {given_back} given back" if given_back else ""
        self.stdout.write(
            f"{len(results)} jobs, {charged} GPU-seconds charged{back}, "
            f"{len(unknown)} with an unknown account"
        )
        if unknown:
            # By account, which the operator looks up (a typo in sacctmgr, an award not opened).
            jobs = {}
            for record, result in zip(records, results, strict=True):
                if result.status == "unknown_account":
                    ids = jobs.setdefault(gpu.cluster_account(record.account), [])
                    if record.job_id not in ids:
                        ids.append(record.job_id)
            named = [
                f"{account} ({', '.join(ids[:5])}{', …' if len(ids) > 5 else ''})"
                for account, ids in sorted(jobs.items())[:20]
            ]
            more = f" and {len(jobs) - 20} more" if len(jobs) > 20 else ""
            self.stderr.write(
                "accounts no award has, their jobs recorded and not charged: "
                f"{'; '.join(named)}{more}"
            )
        if not records:
            # An empty file (sacct failed, its output sent elsewhere, a wrong --starttime): a
            # night of charges missing, which "0 jobs" alone would let pass.
            self.stderr.write(
                f"{file} holds no job: if jobs ran on {cluster}, check the sacct command "
                "(its --starttime/--endtime, --allusers) and that its output reached the file"
            )
        ran = [record for record in records if record.start is not None]
        if ran and not any(record.gpus for record in ran):
            # Slurm's default AccountingStorageTRES leaves GPUs out of AllocTRES.
            self.stderr.write(
                f"no job allocated a GPU in AllocTRES ({len(ran)} jobs ran): if they used "
                "GPUs, Slurm does not record them; add gres/gpu to AccountingStorageTRES in "
                "slurm.conf (AccountingStorageTRES=gres/gpu): jobs allocated after it carry "
                "their GPUs and are charged"
            )

    @staticmethod
    def decode(data, file):
        """The text of sacct's output, read as UTF-8 (a byte order mark left to the parser);
        refused naming the first line that is not (a free-text column in another encoding)."""
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise CommandError(
                f"{file}: line {line} is not UTF-8 text (the importer reads UTF-8: leave out "
                "free-text columns such as JobName, whose text may be in another encoding)"
            ) from exc

    @staticmethod
    def check_cluster(cluster):
        """The name as ``create_cluster_token`` takes it. Its case does not matter: it is read
        in lower case (``gpu.cluster_name``), so 'Taiwania' is 'taiwania' and never charges
        again the jobs already recorded for it."""
        if not gpu.CLUSTER_NAME.fullmatch(cluster):
            raise CommandError("--cluster: letters, digits, - and _ only")
