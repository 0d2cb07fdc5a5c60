"""The data set uploaded on the staff page and imported in the background, with its progress.

The operator uploads BGMOPEN1.csv (or the .zip holding it) on ``/staff/registry/imports/``;
``accept`` stores it under ``REGISTRY_UPLOADS_ROOT`` (a random name) as an ``ImportJob`` and
hands it to the task worker (``tasks.import_uploaded``, once the upload's transaction commits).
``run`` imports it with the same importer as ``manage.py import_tax_registry`` — the new snapshot
replaces the current one only when it is complete — and deletes the file.

Progress cannot go through the database: on SQLite the import holds the only write lock until it
commits, and on PostgreSQL its work is in one transaction that others cannot see. The worker
writes it instead to a small JSON file beside the upload (``<job id>.progress.json``, replaced
atomically, at most a few times a second), which the job's status (``status``) reads. A running
job whose file has not changed for ``REGISTRY_IMPORT_STALL_SECONDS`` is taken as stopped (the
worker died): ``status`` says so and ``accept`` marks it failed so that a new file can go in.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aipower.core import audit

from .import_messages import for_operator
from .importer import Progress, RegistryImportError, import_registry
from .models import ImportJob
from .services import current_snapshot

logger = logging.getLogger(__name__)

EXTENSIONS = (".csv", ".zip")
# Seconds between two writes of the progress file (the importer reports far more often).
WRITE_EVERY = 0.25
S = ImportJob.Status
BUSY = gettext_lazy("已有一份稅籍資料正在匯入，請待其完成後再上傳。")


class UploadRefused(Exception):
    """The upload cannot be taken now; ``message`` says why (for the form)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def uploads_root() -> Path:
    return Path(settings.REGISTRY_UPLOADS_ROOT)


def upload_path(job: ImportJob) -> Path:
    return uploads_root() / job.stored_name


def progress_path(job: ImportJob) -> Path:
    return uploads_root() / f"{job.pk}.progress.json"


def _stalled(job: ImportJob, now: float | None = None) -> bool:
    """A running job whose progress file (or, before the first report, whose start) has not
    moved for ``REGISTRY_IMPORT_STALL_SECONDS``."""
    if job.status != S.RUNNING:
        return False
    try:
        last = progress_path(job).stat().st_mtime
    except FileNotFoundError:
        last = job.started_at.timestamp() if job.started_at else job.uploaded_at.timestamp()
    return (now or time.time()) - last > settings.REGISTRY_IMPORT_STALL_SECONDS


def _give_up_stalled(by=None):
    """Mark the running jobs that stopped reporting as failed (their worker is gone), in the
    audit log in the name of ``by``, whose upload gives them up."""
    for job in ImportJob.objects.filter(status=S.RUNNING):
        if _stalled(job):
            _finish(
                job, S.FAILED, error=_("匯入程序已停止回報進度（工作程序可能已中止），請重新上傳。")
            )
            _record_failed(job, actor=by)


def accept(upload, *, by, skip_bad_rows=False, allow_older=False, request=None) -> ImportJob:
    """Store ``upload`` (a Django ``UploadedFile``) and queue its import; ``UploadRefused`` when
    another import is queued or running."""
    from .tasks import import_uploaded

    _give_up_stalled(by)
    if ImportJob.objects.filter(active=True).exists():
        raise UploadRefused(BUSY)
    # A directory of its own under a random name, the file under its own (cleaned) name: the
    # snapshot's 檔案名稱 is the file's name, as with the command.
    name = get_valid_filename(Path(upload.name).name)[-100:] or "BGMOPEN1.csv"
    stored_name = f"{uuid.uuid4().hex}/{name}"
    target = uploads_root() / stored_name
    target.parent.mkdir(parents=True, mode=0o750)
    with open(target, "xb") as out:
        os.chmod(target, 0o640)
        for chunk in upload.chunks():
            out.write(chunk)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                source_name=Path(upload.name).name[:255],
                stored_name=stored_name,
                size=upload.size,
                skip_bad_rows=skip_bad_rows,
                allow_older=allow_older,
                uploaded_by=by,
            )
            audit.record(
                "registry.import_uploaded",
                request=request,
                actor=by,
                obj=job,
                file=job.source_name,
                size=job.size,
                skip_bad_rows=skip_bad_rows,
                allow_older=allow_older,
            )
            transaction.on_commit(lambda: import_uploaded.enqueue(job.pk))
    except BaseException as exc:
        _remove_upload(target)
        if isinstance(exc, IntegrityError):  # another upload won the race for the active job
            raise UploadRefused(BUSY) from None
        raise
    return job


class ProgressWriter:
    """The importer's progress callback: the latest figures to the job's progress file, at most
    every ``WRITE_EVERY`` seconds (and always the last)."""

    def __init__(self, job: ImportJob):
        self.path = progress_path(job)
        self._written = 0.0

    def __call__(self, p: Progress):
        now = time.monotonic()
        last = p.total_bytes and p.bytes_read >= p.total_bytes
        if now - self._written < WRITE_EVERY and not last:
            return
        self._written = now
        figures = dataclasses.asdict(p) | {"elapsed": round(p.elapsed, 3)}
        partial = self.path.with_suffix(".tmp")
        partial.write_text(json.dumps(figures), encoding="utf-8")
        partial.replace(self.path)  # atomic: a reader sees the old figures or the new


def read_progress(job: ImportJob) -> Progress | None:
    """The figures the worker wrote last, or None before its first report."""
    try:
        return Progress(**json.loads(progress_path(job).read_text(encoding="utf-8")))
    except (FileNotFoundError, ValueError, TypeError):
        return None


def _remove_upload(path: Path):
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()


def _finish(job: ImportJob, status, **fields):
    job.status, job.active, job.finished_at = status, False, timezone.now()
    for name, value in fields.items():
        setattr(job, name, value)
    job.save()
    _remove_upload(upload_path(job))
    progress_path(job).unlink(missing_ok=True)


def record_imported(result, *, replaced, via, actor=None, **more):
    """The audit entry of a data set that became the current one (``result``: the importer's
    ``ImportResult``; ``replaced``: the snapshot current before, or None): every company's
    pre-check reads it from now on."""
    snapshot = result.snapshot
    audit.record(
        "registry.imported",
        actor=actor,
        obj=snapshot,
        file=snapshot.source_name,
        published_on=snapshot.published_on,
        rows=result.rows,
        skipped=result.skipped,
        replaced=replaced.pk if replaced is not None else None,
        via=via,
        **more,
    )


def run(job_id: int) -> str:
    """Import the uploaded file of job ``job_id`` (the task's body); the outcome in a word.
    The outcome is audited in the uploader's name (the worker imports on their behalf)."""
    updated = ImportJob.objects.filter(pk=job_id, status=S.QUEUED).update(
        status=S.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if not updated:  # already taken, or given up
        return job.status
    replaced = current_snapshot()
    try:
        result = import_registry(
            upload_path(job),
            skip_bad_rows=job.skip_bad_rows,
            allow_older=job.allow_older,
            progress=ProgressWriter(job),
        )
    except RegistryImportError as exc:
        _finish(job, S.FAILED, error=exc.reason, error_line=exc.line)
        _record_failed(job)
    except Exception:
        logger.exception("registry import job %s failed", job.pk)
        _finish(job, S.FAILED, error=_("匯入時發生系統錯誤，已記錄於系統日誌。"))
        _record_failed(job)
    else:
        _finish(
            job, S.SUCCEEDED, snapshot=result.snapshot, rows=result.rows, skipped=result.skipped
        )
        record_imported(result, replaced=replaced, via="upload", actor=job.uploaded_by, job=job.pk)
    return job.status


def _record_failed(job: ImportJob, actor=None):
    audit.record(
        "registry.import_failed",
        actor=actor or job.uploaded_by,
        obj=job,
        file=job.source_name,
        line=job.error_line,
        reason=job.error,
    )


def status(job: ImportJob) -> dict:
    """What the job's page shows, as its status URL answers it (JSON)."""
    stalled = _stalled(job)
    answer = {
        "status": job.status,
        "label": str(job.get_status_display()),
        "finished": not job.active,
        "stalled": stalled,
        "rows": job.rows,
        "skipped": job.skipped,
        "percent": 100 if job.status == S.SUCCEEDED else 0,
        "rate": None,
        "seconds_left": None,
    }
    if job.status == S.RUNNING:
        progress = read_progress(job)
        answer["started"] = progress is not None
        if progress is not None:
            left = progress.seconds_left
            answer.update(
                rows=progress.rows,
                skipped=progress.skipped,
                percent=round(progress.fraction * 100, 1),
                rate=round(progress.rate) if progress.elapsed > 0 else None,
                seconds_left=round(left) if left is not None else None,
            )
    answer["text"] = describe(job, answer)
    return answer


def _duration(seconds):
    minutes, seconds = divmod(max(int(seconds), 0), 60)
    if minutes:
        return _("%(minutes)d 分 %(seconds)d 秒") % {"minutes": minutes, "seconds": seconds}
    return _("%(seconds)d 秒") % {"seconds": seconds}


def describe(job: ImportJob, answer: dict) -> str:
    """The job's state in a sentence, in the request's language (the page and its updates)."""
    if answer["stalled"]:
        return _("已超過 %(minutes)d 分鐘未回報進度，匯入程序可能已中止；可重新上傳。") % {
            "minutes": settings.REGISTRY_IMPORT_STALL_SECONDS // 60
        }
    if job.status == S.QUEUED:
        return _("已收到檔案，等待背景工作程序開始匯入。")
    if job.status == S.RUNNING and not answer.get("started"):
        return _("匯入已開始，正在讀取檔案。")
    if job.status == S.RUNNING and answer["percent"] >= 100:
        return _("已讀取全部 %(rows)s 筆，正在完成匯入（建立索引並切換為使用中的資料）。") % {
            "rows": f"{answer['rows']:,}"
        }
    if job.status == S.RUNNING:
        text = _("已處理 %(rows)s 筆（%(percent)s%%）") % {
            "rows": f"{answer['rows']:,}",
            "percent": answer["percent"],
        }
        if answer["rate"]:
            text += _("，每秒約 %(rate)s 筆") % {"rate": f"{answer['rate']:,}"}
        if answer["seconds_left"] is not None:
            text += _("，預估剩餘 %(left)s") % {"left": _duration(answer["seconds_left"])}
        return text + _("。")
    if job.status == S.SUCCEEDED:
        return _("已匯入 %(rows)s 筆（略過 %(skipped)s 筆），新資料已取代使用中的資料。") % {
            "rows": f"{job.rows:,}",
            "skipped": f"{job.skipped:,}",
        }
    reason = for_operator(job.error)
    if job.error_line:
        return _("檔案未匯入，使用中的資料不受影響。第 %(line)s 行：%(reason)s") % {
            "line": f"{job.error_line:,}",
            "reason": reason,
        }
    return _("檔案未匯入，使用中的資料不受影響。原因：%(reason)s") % {"reason": reason}
