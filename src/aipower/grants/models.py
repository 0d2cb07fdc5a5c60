"""The points ledger of an award, and the GPU-hour metering records that feed it.

Quantities are integers in the category's natural unit (tokens for inference, GPU-seconds for
training); points are derived (units / units_per_point) and never stored. ``Allowance`` is the
balance row the gateway and the cluster export read; ``LedgerEntry`` is the append-only history
it is derivable from. Business operations are in ``services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Lower
from django.utils.translation import gettext_lazy as _

from aipower.applications.models import MailedNotice
from aipower.calls.enums import CategoryKind
from aipower.core.roc import format_period


class AllowanceState(models.TextChoices):
    ACTIVE = "active", _("使用中")
    EXHAUSTED = "exhausted", _("點數已用罄")
    EXPIRED = "expired", _("使用期間已屆滿")
    SUSPENDED = "suspended", _("暫停使用")
    ENDED = "ended", _("已終止")


class ServiceState(models.TextChoices):
    """The service as the company sees it today: the allowance's state, with the two changes
    the day brings before the daily housekeeping records them (the period has not started yet,
    or has ended) and points used up (``services.service_state``)."""

    PENDING = "pending", _("使用期間尚未開始")
    ACTIVE = AllowanceState.ACTIVE.value, AllowanceState.ACTIVE.label
    EXHAUSTED = AllowanceState.EXHAUSTED.value, AllowanceState.EXHAUSTED.label
    EXPIRED = AllowanceState.EXPIRED.value, AllowanceState.EXPIRED.label
    SUSPENDED = AllowanceState.SUSPENDED.value, AllowanceState.SUSPENDED.label
    ENDED = AllowanceState.ENDED.value, AllowanceState.ENDED.label


class Allowance(models.Model):
    """One award's balance: granted, charged, exactly measured and reserved units."""

    award = models.OneToOneField(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.PROTECT,
        related_name="allowance",
    )
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.PROTECT,
        related_name="allowances",
    )
    kind = models.CharField(_("申請類別"), max_length=20, choices=CategoryKind.choices)
    # The scheduler account on the operator's cluster (training awards), e.g. "aip115-12345675";
    # in lower case, as Slurm keeps it.
    account = models.CharField(_("叢集帳號"), max_length=64, unique=True, null=True, blank=True)
    granted_units = models.BigIntegerField(_("核發計量單位數"))
    used_units = models.BigIntegerField(_("已扣計量單位數"), default=0)
    exact_units = models.BigIntegerField(_("實際用量"), default=0)
    reserved_units = models.BigIntegerField(_("預留計量單位數"), default=0)
    starts_on = models.DateField(_("使用期間起"))
    ends_on = models.DateField(_("使用期間迄"))
    state = models.CharField(
        _("狀態"), max_length=20, choices=AllowanceState.choices, default=AllowanceState.ACTIVE
    )
    state_changed_at = models.DateTimeField(_("狀態變更時間"), null=True, blank=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("點數帳戶")
        verbose_name_plural = _("點數帳戶")
        constraints = [
            models.CheckConstraint(
                condition=Q(granted_units__gte=0)
                & Q(used_units__gte=0)
                & Q(reserved_units__gte=0)
                & Q(exact_units__gte=0),
                name="grants_allowance_units_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(granted_units__gte=F("used_units") + F("reserved_units")),
                name="grants_allowance_never_overdrawn",
            ),
            # Stored in lower case (``gpu.cluster_account``), as Slurm keeps account names and
            # matches them in any case: the database refuses a second spelling of an account,
            # which the cluster would take for the same one.
            models.UniqueConstraint(Lower("account"), name="grants_allowance_account_ci"),
        ]

    def __str__(self):
        period = format_period(self.starts_on, self.ends_on)
        return f"{self.company} {self.get_kind_display()} {period}"

    @property
    def left_units(self):
        """Units neither charged nor reserved."""
        return self.granted_units - self.used_units - self.reserved_units

    @property
    def used_percent(self):
        """The share of the grant charged, in whole percent, at most 100 (100 when nothing was
        granted): the usage pages' bar and the staff's overview."""
        if not self.granted_units:
            return 100
        return min(100, self.used_units * 100 // self.granted_units)

    @property
    def used_percent_text(self):
        """``used_percent`` as the pages write it: ``<1`` once anything was charged."""
        from .presenters import percent_text

        return percent_text(self.used_percent, self.used_units)


class LedgerEntry(models.Model):
    """One change of an allowance. Append-only: saved once, never changed or deleted.

    ``units`` is signed: a grant, an increasing adjustment or a usage correction (GPU time given
    back) is positive, a usage charge or an expiry (the forfeited remainder) negative.
    ``exact_units`` is what was measured (a usage entry's exact tokens or GPU-seconds, before
    the rounding policy and any cap; negative in a correction).
    """

    class Kind(models.TextChoices):
        GRANT = "grant", _("核發")
        USAGE = "usage", _("使用")
        ADJUSTMENT = "adjustment", _("調整")
        EXPIRY = "expiry", _("期滿失效")
        RELEASE = "release", _("釋放預留")
        # A job's final record reports less GPU time than was charged for it while it ran: the
        # difference given back (``services.correct_usage``). Counts as usage, negatively.
        CORRECTION = "correction", _("用量更正")

    # Indexed by the (allowance, kind, created_at) index, whose first column it is.
    allowance = models.ForeignKey(
        Allowance,
        verbose_name=_("點數帳戶"),
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,
    )
    kind = models.CharField(_("類型"), max_length=20, choices=Kind.choices)
    units = models.BigIntegerField(_("計量單位數"))
    exact_units = models.BigIntegerField(_("實際用量"), default=0)
    # Where the change came from, unique so that a retry or a re-import never charges twice:
    # "gw:<request id>", "slurm:<cluster>:<job id>:<seconds>", "grant:<award id>", ...
    # (A constraint rather than ``unique=True``: on PostgreSQL the latter adds a second,
    # ``varchar_pattern_ops`` index for LIKE queries, which nothing runs on this column.)
    source = models.CharField(_("來源"), max_length=200, null=True, blank=True)
    model = models.ForeignKey(
        "calls.CatalogueModel",
        verbose_name=_("模型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("說明"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("建立時間"), db_index=True)
    # When the units were used, where that is not when the entry was written: a GPU job's
    # charge (or correction) is written when the cluster reports it, often after midnight (the
    # nightly sacct import), and dated by the end of the GPU time it covers. Null: at
    # ``created_at`` (an inference request is charged as it ends). The usage chart, the CSV and
    # the staff's months read ``USED_AT`` (this, else ``created_at``).
    used_at = models.DateTimeField(_("使用時間"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("點數異動")
        verbose_name_plural = _("點數異動")
        indexes = [models.Index(fields=["allowance", "kind", "created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["source"], name="grants_ledger_source_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.units}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("ledger entries are append-only")


# When a ledger entry's units were used: its ``used_at``, else when it was written.
USED_AT = Coalesce("used_at", "created_at")


class Reservation(models.Model):
    """Units held for one in-flight gateway request until it is settled or released."""

    class Outcome(models.TextChoices):
        SETTLED = "settled", _("已結算")
        RELEASED = "released", _("已釋放")
        SWEPT = "swept", _("逾時釋放")

    allowance = models.ForeignKey(
        Allowance, verbose_name=_("點數帳戶"), on_delete=models.PROTECT, related_name="reservations"
    )
    request_id = models.CharField(_("請求代碼"), max_length=200)
    units = models.BigIntegerField(_("預留計量單位數"))
    created_at = models.DateTimeField(_("建立時間"))
    expires_at = models.DateTimeField(_("逾時時間"), db_index=True)
    settled_at = models.DateTimeField(_("結束時間"), null=True, blank=True)
    outcome = models.CharField(_("結果"), max_length=20, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("預留")
        verbose_name_plural = _("預留")
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="grants_reservation_positive"),
            # Not ``unique=True``: see ``LedgerEntry.source``.
            models.UniqueConstraint(
                fields=["request_id"], name="grants_reservation_request_unique"
            ),
        ]

    def __str__(self):
        return f"{self.request_id} {self.units}"


class Notice(MailedNotice):
    """A notice sent once per allowance and kind (period started, 80 %, 100 %, before expiry,
    end of service)."""

    class Kind(models.TextChoices):
        STARTED = "started", _("使用期間開始")
        USED_80 = "used_80", _("點數已使用 80%")
        USED_100 = "used_100", _("點數已用罄")
        EXPIRY_SOON = "expiry_soon", _("使用期間即將屆滿")
        EXPIRED = "expired", _("使用期間已屆滿")

    allowance = models.ForeignKey(
        Allowance, verbose_name=_("點數帳戶"), on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(_("類型"), max_length=20, choices=Kind.choices)

    class Meta(MailedNotice.Meta):
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(fields=["allowance", "kind"], name="grants_notice_once")
        ]

    def __str__(self):
        return f"{self.allowance_id} {self.get_kind_display()}"


class ClusterToken(models.Model):
    """A compute cluster's bearer token for the GPU ingest and export API (sha256 only).

    A new token replaces the current one without a gap: the one it replaced keeps working
    until ``previous_expires_at`` (``gpu.ROTATION_OVERLAP`` after the new one was issued) or
    until the operator revokes it, so the cluster keeps reporting while it is reconfigured.
    """

    cluster = models.SlugField(_("叢集名稱"), max_length=64, unique=True)
    token_hash = models.CharField(_("憑證雜湊"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤銷時間"), null=True, blank=True)
    previous_token_hash = models.CharField(
        _("舊憑證雜湊"), max_length=64, unique=True, null=True, blank=True
    )
    previous_expires_at = models.DateTimeField(_("舊憑證可用至"), null=True, blank=True)
    previous_last_used_at = models.DateTimeField(_("舊憑證最近使用"), null=True, blank=True)

    class Meta:
        ordering = ["cluster"]
        verbose_name = _("叢集憑證")
        verbose_name_plural = _("叢集憑證")
        constraints = [
            # Stored in lower case (``gpu.cluster_name``); the database refuses a second
            # spelling of a cluster: 'Taiwania2' would report every job again as another's.
            models.UniqueConstraint(Lower("cluster"), name="grants_clustertoken_cluster_ci")
        ]

    def __str__(self):
        return self.cluster


class GpuJob(models.Model):
    """A scheduler job as last reported, and how many GPU-seconds it has been charged so far."""

    cluster = models.CharField(_("叢集名稱"), max_length=64)
    job_id = models.CharField(_("作業代碼"), max_length=64)
    account = models.CharField(_("叢集帳號"), max_length=64)
    allowance = models.ForeignKey(
        Allowance,
        verbose_name=_("點數帳戶"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gpu_jobs",
    )
    gpus = models.PositiveIntegerField(_("GPU 數"))
    started_at = models.DateTimeField(_("開始時間"), null=True, blank=True)
    ended_at = models.DateTimeField(_("結束時間"), null=True, blank=True)
    state = models.CharField(_("作業狀態"), max_length=40, blank=True)
    gpu_seconds = models.BigIntegerField(_("GPU 秒數"), default=0)
    # The seconds the last run stood suspended (sacct's Suspended, or from its Elapsed): not
    # in ``gpu_seconds``, never charged.
    suspended_seconds = models.BigIntegerField(_("暫停秒數"), default=0)
    # The GPU-seconds inside the award's period, accounted to the job so far (the next report
    # charges only beyond them); ``taken_seconds`` of them were taken from the balance.
    charged_seconds = models.BigIntegerField(_("計入 GPU 秒數"), default=0)
    # A requeued job runs again from a new start: what its earlier runs used and were charged
    # stays, and the new run's seconds are added to it (``gpu.record_job``).
    earlier_gpu_seconds = models.BigIntegerField(_("先前執行 GPU 秒數"), default=0)
    earlier_charged_seconds = models.BigIntegerField(_("先前執行計入 GPU 秒數"), default=0)
    # What the charges took from the balance: less than ``charged_seconds`` when the balance
    # ran out (the rest accounted, never charged). The company's job list shows it.
    taken_seconds = models.BigIntegerField(_("實扣 GPU 秒數"), default=0)
    # How many times a final record gave GPU time back: the ledger sources of the job's later
    # charges and corrections carry it, so none repeats an earlier entry's source.
    corrections = models.PositiveIntegerField(_("用量更正次數"), default=0)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("GPU 作業")
        verbose_name_plural = _("GPU 作業")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "job_id"], name="grants_gpujob_unique")
        ]

    def __str__(self):
        return f"{self.cluster}:{self.job_id}"
