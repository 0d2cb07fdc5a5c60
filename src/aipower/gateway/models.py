"""The inference gateway's data: upstream model servers, the routing of catalogue models to
them, companies' API keys (hashes only) and per-request metering records (no content)."""

import datetime
import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

KEY_PREFIX = "sk-aipower-"
# How many characters of the secret are kept in clear to tell keys apart on the dashboard.
SHOWN_PREFIX_LENGTH = len(KEY_PREFIX) + 6


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def key_variable(name: str) -> str:
    """The environment variable holding the key of the upstream called ``name`` when the admin
    stores none: GATEWAY_UPSTREAM_KEY_ and the name, upper case, other characters as ``_``."""
    return ("GATEWAY_UPSTREAM_KEY_" + "".join(c if c.isalnum() else "_" for c in name)).upper()


class Upstream(models.Model):
    """An OpenAI-compatible model server (vLLM or similar) the gateway forwards to."""

    name = models.CharField(_("名稱"), max_length=100, unique=True)
    base_url = models.URLField(_("API 位址"), help_text=_("例如 http://10.0.0.5:8000/v1"))
    api_key = models.CharField(
        _("上游 API 金鑰"),
        max_length=500,
        blank=True,
        help_text=_("留空則使用環境變數 GATEWAY_UPSTREAM_KEY_<名稱>"),
    )
    timeout = models.FloatField(_("逾時秒數"), default=120)
    continuous_usage = models.BooleanField(
        _("逐段回報用量"),
        default=False,
        help_text=_("上游支援 stream_options.continuous_usage_stats（vLLM）"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("上游模型伺服器")
        verbose_name_plural = _("上游模型伺服器")

    def __str__(self):
        return self.name


class ModelRoute(models.Model):
    """Where a catalogue model is served: the upstream and the model id the upstream expects."""

    model = models.OneToOneField(
        "calls.CatalogueModel",
        verbose_name=_("模型"),
        on_delete=models.CASCADE,
        related_name="route",
    )
    upstream = models.ForeignKey(
        Upstream, verbose_name=_("上游模型伺服器"), on_delete=models.PROTECT, related_name="routes"
    )
    upstream_model = models.CharField(
        _("上游模型代碼"),
        max_length=200,
        blank=True,
        help_text=_("留空則使用模型清單之上游模型代碼"),
    )
    # What the upstream serves, not what the model could: vLLM's --max-model-len is often set
    # below the model's own context to fit the GPU, so it belongs to the route.
    context_length = models.PositiveIntegerField(
        _("上下文長度"),
        null=True,
        blank=True,
        help_text=_(
            "上游一次可處理之 token 數上限（提示加回覆，如 vLLM 之 --max-model-len）；留空表示未知"
        ),
    )

    class Meta:
        verbose_name = _("模型路由")
        verbose_name_plural = _("模型路由")

    def __str__(self):
        return f"{self.model} → {self.upstream}"


class ApiKey(models.Model):
    """A company's key for one award. Only the SHA-256 of the secret is stored."""

    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.CASCADE,
        related_name="api_keys",
    )
    name = models.CharField(_("金鑰名稱"), max_length=100)
    prefix = models.CharField(_("金鑰開頭"), max_length=40)
    secret_hash = models.CharField(max_length=64, unique=True)
    rate_limit = models.PositiveIntegerField(
        _("每分鐘請求上限"), null=True, blank=True, help_text=_("留空則使用系統預設值")
    )
    expires_at = models.DateTimeField(_("到期時間"), null=True, blank=True)
    created_at = models.DateTimeField(_("建立時間"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤銷時間"), null=True, blank=True)
    # The creating form's one-time token: the same form sent again (reload, back button, a
    # double click) finds this key instead of creating a second one.
    request_token = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        ordering = ["-created_at"]
        # One key in English (the audit log's "API key 3", the admin's "Add API key").
        verbose_name = pgettext_lazy("one key", "API 金鑰")
        verbose_name_plural = _("API 金鑰")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "request_token"],
                condition=~models.Q(request_token=""),
                name="gateway_apikey_one_key_per_form",
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def valid_until(self):
        """The expiry as the key list states it: a key chosen to end on 115/12/31 stops at the
        midnight after it (Asia/Taipei) and reads 115年12月31日 23:59 (the call's own 23:59
        convention), not 116年01月01日 00:00, a day the company did not choose; any other time
        (set in the admin) as it is."""
        if self.expires_at is None:
            return None
        if timezone.localtime(self.expires_at).time() == datetime.time.min:
            return self.expires_at - datetime.timedelta(seconds=1)
        return self.expires_at

    @property
    def is_active(self):
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class RequestOutcome(models.TextChoices):
    OK = "ok", _("完成")
    DISCONNECTED = "disconnected", _("用戶端中斷")
    UPSTREAM_ERROR = "upstream_error", _("上游錯誤")


class MeteredRequest(models.Model):
    """One forwarded request's metering record: counts only, never prompt or completion text."""

    # Unique by a constraint, not ``unique=True`` (see ``grants.LedgerEntry.source``).
    request_id = models.CharField(_("請求編號"), max_length=64)
    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=pgettext_lazy("one key", "API 金鑰"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    # Indexed by the (award, started_at) index, whose first column it is.
    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    model = models.ForeignKey(
        "calls.CatalogueModel", verbose_name=_("模型"), on_delete=models.PROTECT, related_name="+"
    )
    endpoint = models.CharField(_("端點"), max_length=40)
    stream = models.BooleanField(_("串流"), default=False)
    prompt_tokens = models.PositiveIntegerField(_("輸入 tokens"), default=0)
    completion_tokens = models.PositiveIntegerField(_("輸出 tokens"), default=0)
    reserved_tokens = models.PositiveBigIntegerField(_("預留 tokens"), default=0)
    outcome = models.CharField(_("結果"), max_length=20, choices=RequestOutcome.choices)
    started_at = models.DateTimeField(_("開始時間"))
    finished_at = models.DateTimeField(_("結束時間"))

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["award", "started_at"])]
        constraints = [
            models.UniqueConstraint(fields=["request_id"], name="gateway_metered_request_unique")
        ]
        verbose_name = pgettext_lazy("model", "推論請求紀錄")
        verbose_name_plural = _("推論請求紀錄")

    def __str__(self):
        return self.request_id

    @property
    def total_tokens(self):
        return self.prompt_tokens + self.completion_tokens


# The countries the gateway refuses by default (``GATEWAY_BLOCKED_COUNTRIES``), by name.
COUNTRY_NAMES = {"CN": _("中國大陸"), "HK": _("香港"), "MO": _("澳門")}


def country_name(code: str):
    """A refused country by name (its code when another country is configured)."""
    return COUNTRY_NAMES.get(code, code)


class RegionRefusal(models.Model):
    """Requests refused because they came from mainland China, Hong Kong or Macau (使用規範第2點),
    counted per key, country and day: the operator's evidence for a violation. Only the country
    and the latest address, never a request's content."""

    api_key = models.ForeignKey(
        ApiKey,
        verbose_name=pgettext_lazy("one key", "API 金鑰"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    award = models.ForeignKey(
        "review.Award", verbose_name=_("核定結果"), on_delete=models.CASCADE, related_name="+"
    )
    country = models.CharField(_("地區"), max_length=2)
    # The day in Asia/Taipei, as every date the operator reads.
    day = models.DateField(_("日期"))
    count = models.PositiveIntegerField(_("次數"), default=0)
    first_at = models.DateTimeField(_("首次時間"))
    last_at = models.DateTimeField(_("最近時間"))
    last_address = models.CharField(_("最近來源位址"), max_length=64)

    class Meta:
        ordering = ["-last_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["api_key", "country", "day"], name="gateway_region_refusal_per_day"
            )
        ]
        verbose_name = _("中港澳連線拒絕紀錄")
        verbose_name_plural = _("中港澳連線拒絕紀錄")

    def __str__(self):
        return f"{self.api_key_id} {self.country} {self.day}"

    @property
    def country_name(self):
        return country_name(self.country)
