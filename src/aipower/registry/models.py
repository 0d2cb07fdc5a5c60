"""The imported tax-registration data (one snapshot per import) and the operator's lists.

A ``Snapshot`` is one import of the Ministry of Finance's BGMOPEN1.csv; its ``TaxRecord`` rows are
keyed by (snapshot, 統一編號). Exactly one snapshot is current; an import fills a new snapshot and
flips ``is_current`` in one transaction, so readers always see a complete registry.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aipower.core.validators import validate_ubn

from .enums import ListKind, SnapshotStatus, VerdictStatus


class Snapshot(models.Model):
    source_name = models.CharField(_("檔案名稱"), max_length=255)
    published_on = models.DateField(_("資料集發布日期"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("筆數"), default=0)
    skipped_count = models.PositiveIntegerField(_("略過筆數"), default=0)
    status = models.CharField(
        _("狀態"), max_length=20, choices=SnapshotStatus.choices, default=SnapshotStatus.IMPORTING
    )
    is_current = models.BooleanField(_("使用中"), default=False)
    started_at = models.DateTimeField(_("開始匯入"), auto_now_add=True)
    imported_at = models.DateTimeField(_("完成匯入"), null=True, blank=True)
    error = models.TextField(_("錯誤訊息"), blank=True)
    # Skipped rows (line, reason), capped; only with the explicit --skip-bad-rows option.
    report = models.JSONField(_("略過明細"), default=list, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("稅籍資料匯入")
        verbose_name_plural = _("稅籍資料匯入")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="registry_one_current_snapshot",
            )
        ]

    def __str__(self):
        return f"{self.source_name} ({self.published_on or '—'}, {self.row_count})"


class TaxRecord(models.Model):
    """One row of the tax-registration data set, in the snapshot it was imported with."""

    pk = models.CompositePrimaryKey("snapshot_id", "ubn")
    # No separate index: the primary key (snapshot, ubn) leads with the snapshot.
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False
    )
    ubn = models.CharField(_("統一編號"), max_length=8)
    head_office_ubn = models.CharField(_("總機構統一編號"), max_length=8, blank=True)
    name = models.CharField(_("營業人名稱"), max_length=300)
    address = models.CharField(_("營業地址"), max_length=300, blank=True)
    capital = models.BigIntegerField(_("資本額"), null=True, blank=True)
    founded_on = models.DateField(_("設立日期"), null=True, blank=True)
    legal_form = models.CharField(_("組織別名稱"), max_length=100, blank=True)
    uses_uniform_invoice = models.BooleanField(_("使用統一發票"), null=True, blank=True)
    industry_code = models.CharField(_("行業代號"), max_length=6, blank=True)
    industry_name = models.CharField(_("名稱"), max_length=200, blank=True)
    industry_code_1 = models.CharField(_("行業代號1"), max_length=6, blank=True)
    industry_name_1 = models.CharField(_("名稱1"), max_length=200, blank=True)
    industry_code_2 = models.CharField(_("行業代號2"), max_length=6, blank=True)
    industry_name_2 = models.CharField(_("名稱2"), max_length=200, blank=True)
    industry_code_3 = models.CharField(_("行業代號3"), max_length=6, blank=True)
    industry_name_3 = models.CharField(_("名稱3"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("model", "稅籍登記資料")
        # Branches by head office, for the staff company page; partial, so it stays small.
        indexes = [
            models.Index(
                fields=["snapshot", "head_office_ubn"],
                condition=~models.Q(head_office_ubn=""),
                name="registry_taxrecord_branch_idx",
            )
        ]
        verbose_name_plural = _("稅籍登記資料")

    def __str__(self):
        return f"{self.name} ({self.ubn})"

    @property
    def industries(self):
        """(code, name) pairs, main business first, empty pairs left out."""
        pairs = [
            (self.industry_code, self.industry_name),
            (self.industry_code_1, self.industry_name_1),
            (self.industry_code_2, self.industry_name_2),
            (self.industry_code_3, self.industry_name_3),
        ]
        return [(code, name) for code, name in pairs if code]


class ListEntry(models.Model):
    """A company on one of the operator's lists (suspended, barred, mainland capital, a major
    breach or a serious violation in the last 3 years; or its business items found eligible)."""

    ubn = models.CharField(_("統一編號"), max_length=8, validators=[validate_ubn], db_index=True)
    kind = models.CharField(_("名單"), max_length=20, choices=ListKind.choices)
    reason = models.TextField(
        _("原因"),
        help_text=_(
            "營業項目經人工查核符合：請記下查核日期與公示查詢所見之符合資格的登記營業項目。"
        ),
    )
    until = models.DateField(
        _("期限"), null=True, blank=True, help_text=_("空白表示無期限；期限過後不再適用")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登錄者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    added_at = models.DateTimeField(_("登錄時間"), auto_now_add=True)

    class Meta:
        ordering = ["ubn", "kind"]
        verbose_name = pgettext_lazy("model", "管制名單")
        verbose_name_plural = _("管制名單")

    def __str__(self):
        return f"{self.ubn} {self.get_kind_display()}"


class ImportJob(models.Model):
    """A data-set file the operator uploaded on the staff page, imported in the background
    (``uploads``): the worker runs the importer on it and reports its progress, which the job's
    page shows as a progress bar. At most one job is queued or running at a time (the importer
    takes one file at a time)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("等待匯入")
        RUNNING = "running", _("匯入中")
        SUCCEEDED = "succeeded", _("匯入完成")
        FAILED = "failed", _("匯入失敗")

    source_name = models.CharField(_("檔案名稱"), max_length=255)
    # The upload under settings.REGISTRY_UPLOADS_ROOT ("<random hex>/<file name>"); deleted
    # after the import.
    stored_name = models.CharField(max_length=140, editable=False)
    size = models.PositiveBigIntegerField(_("檔案大小（位元組）"))
    skip_bad_rows = models.BooleanField(_("略過格式錯誤的資料列"), default=False)
    allow_older = models.BooleanField(_("允許匯入較舊的資料集"), default=False)
    status = models.CharField(
        _("狀態"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # True while queued or running: one such job at a time (the constraint below).
    active = models.BooleanField(default=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上傳者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上傳時間"), auto_now_add=True)
    started_at = models.DateTimeField(_("開始匯入"), null=True, blank=True)
    finished_at = models.DateTimeField(_("結束時間"), null=True, blank=True)
    snapshot = models.ForeignKey(
        Snapshot,
        verbose_name=_("稅籍資料匯入"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    rows = models.PositiveIntegerField(_("筆數"), default=0)
    skipped = models.PositiveIntegerField(_("略過筆數"), default=0)
    error_line = models.PositiveIntegerField(_("錯誤行號"), null=True, blank=True)
    error = models.TextField(_("錯誤訊息"), blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("稅籍資料上傳")
        verbose_name_plural = _("稅籍資料上傳")
        constraints = [
            models.UniqueConstraint(
                fields=["active"],
                condition=models.Q(active=True),
                name="registry_one_active_import_job",
            )
        ]

    def __str__(self):
        return f"{self.source_name} ({self.get_status_display()})"


class RecordedVerdict(models.Model):
    """The eligibility pre-check as it stood when an application was sent: the evidence of what
    the registry and the lists said then. One per sending — the first, and each re-sending
    after a supplement (補件) — so a change between sendings shows. The review looks again at
    the current snapshot, which may be newer (the company moved, became a branch, changed its
    business items), and shows both when they differ. The reasons are kept as shown then, in
    both languages."""

    class Sending(models.TextChoices):
        SUBMITTED = "submitted", _("送件")
        RESUBMITTED = "resubmitted", _("補件後重新送件")

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.CASCADE,
        related_name="recorded_verdicts",
    )
    sending = models.CharField(
        _("送件別"), max_length=20, choices=Sending.choices, default=Sending.SUBMITTED
    )
    # The application's version sent then (ApplicationVersion.number), when known.
    version = models.PositiveIntegerField(_("版本"), null=True, blank=True)
    ubn = models.CharField(_("統一編號"), max_length=8)
    recorded_at = models.DateTimeField(_("查核時間"))
    status = models.CharField(_("查核結果"), max_length=20, choices=VerdictStatus.choices)
    startup_priority = models.BooleanField(_("新創優先資格"), default=False)
    # The data set the verdict read (None: no record of the company, or no data set).
    published_on = models.DateField(_("資料集發布日期"), null=True, blank=True)
    # [{"code", "severity", "message_zh", "message_en", "evidence"}], as Verdict.reasons.
    reasons = models.JSONField(_("查核理由與依據"), default=list)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("送件時之資格查核")
        verbose_name_plural = _("送件時之資格查核")

    def __str__(self):
        day = timezone.localtime(self.recorded_at)
        return f"{self.ubn} {self.get_status_display()} ({day:%Y-%m-%d})"

    @property
    def status_label(self):
        return self.get_status_display()

    def messages(self, severity=None):
        """The reasons' texts in the active language (English on English pages), optionally
        only those of one severity."""
        key = "message_en" if translation.get_language() == "en" else "message_zh"
        return [
            r.get(key) or r.get("message_zh", "")
            for r in self.reasons
            if severity is None or r.get("severity") == severity
        ]
