"""A data subject's request (個人資料保護法 第3條) and the append-only history of what was done
with it. Business operations are in ``services.py``."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import DECISION_DAYS, OPEN_STATES, Channel, Kind, Person, State


class DataRequest(models.Model):
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.PROTECT,
        related_name="data_requests",
    )
    kind = models.CharField(_("請求事項"), max_length=20, choices=Kind.choices)
    person = models.CharField(_("當事人身分"), max_length=20, choices=Person.choices)
    requester_name = models.CharField(_("當事人姓名"), max_length=200)
    requester_email = models.EmailField(_("當事人電子信箱"), max_length=254)
    details = models.TextField(_("請求內容說明"), blank=True)
    channel = models.CharField(
        pgettext_lazy("channel", "收件方式"),
        max_length=20,
        choices=Channel.choices,
        default=Channel.ONLINE,
    )
    identity_check = models.TextField(
        _("身分查驗說明"),
        blank=True,
        help_text=_("執行單位代為登錄時，如何查驗當事人身分"),
    )
    state = models.CharField(
        _("處理狀態"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    outcome = models.TextField(_("處理結果說明"), blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出帳號"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("處理人員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handled_at = models.DateTimeField(_("處理時間"), null=True, blank=True)
    created_at = models.DateTimeField(_("提出時間"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = pgettext_lazy("model", "個人資料請求")
        verbose_name_plural = _("個人資料請求")

    def __str__(self):
        day = timezone.localtime(self.created_at)
        return f"{self.company_id} {self.get_kind_display()} {day:%Y-%m-%d}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES

    @property
    def due_on(self):
        """The legal deadline (個人資料保護法 第13條): 15 days to decide on a query, a viewing or
        a copy; 30 days on a correction, a stop or a deletion (each may be extended once, with
        written notice to the data subject)."""
        days = DECISION_DAYS.get(Kind(self.kind), 30)
        return timezone.localtime(self.created_at).date() + datetime.timedelta(days=days)

    @property
    def overdue(self):
        return self.is_open and timezone.localdate() > self.due_on

    @property
    def reference(self):
        """What the company and the mails call the request: PD + its number."""
        return f"PD{self.pk:05d}"


class DataRequestEvent(models.Model):
    """One thing done with a request: filed, a state change, a correction, an erasure."""

    class Action(models.TextChoices):
        FILED = "filed", _("提出請求")
        STATE = "state", _("變更狀態")
        CORRECTED = "corrected", _("更正個人資料")
        ERASED = "erased", _("刪除個人資料")
        COPY = "copy", _("下載複製本")

    data_request = models.ForeignKey(
        DataRequest,
        verbose_name=pgettext_lazy("model", "個人資料請求"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    action = models.CharField(_("動作"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("原狀態"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("新狀態"), max_length=20, choices=State.choices, blank=True)
    note = models.TextField(_("說明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    mail = models.ForeignKey(
        "applications.SentMail",
        verbose_name=_("寄送郵件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("時間"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = pgettext_lazy("model", "個人資料請求紀錄")
        verbose_name_plural = _("個人資料請求紀錄")

    def __str__(self):
        return f"{self.data_request_id} {self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("DataRequestEvent rows are append-only")
        super().save(*args, **kwargs)
