"""Applications, their versions after submission, and the e-mails sent about them.

The answers live in ``Application.data``, one JSON object per section (``terms``, ``profile``,
``declaration``, ``training``, ``inference``, ``pledge``), so that switching the category
never mixes training and inference answers. Business operations are in ``services``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from aipower.calls.enums import CategoryKind

from .enums import ApplicationState


class Application(models.Model):
    call = models.ForeignKey(
        "calls.Call", verbose_name=_("徵件"), on_delete=models.PROTECT, related_name="applications"
    )
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    category = models.CharField(
        _("申請類別"), max_length=20, choices=CategoryKind.choices, blank=True
    )
    state = models.CharField(
        _("狀態"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    current_step = models.CharField(_("目前步驟"), max_length=40, default="category")
    data = models.JSONField(_("申請內容"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("修訂號"), default=0)
    number = models.CharField(_("申請編號"), max_length=30, unique=True, null=True, blank=True)
    submitted_at = models.DateTimeField(_("送出時間"), null=True, blank=True)
    batch = models.ForeignKey(
        "calls.Batch",
        verbose_name=_("審查梯次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    fingerprint = models.CharField(_("內容指紋"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新時間"), auto_now=True)

    class Meta:
        ordering = ["call", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "company"], name="one_application_per_call")
        ]
        verbose_name = _("申請案")
        verbose_name_plural = _("申請案")

    def __str__(self):
        return self.number or f"{self.company} ({self.get_state_display()})"

    @property
    def is_submitted(self):
        return self.state != ApplicationState.DRAFT

    def section(self, name):
        return dict(self.data.get(name) or {})


class ApplicationVersion(models.Model):
    """What the application said at submission (number 1) and after each later update."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("版次"))
    data = models.JSONField(_("申請內容"))
    fingerprint = models.CharField(_("內容指紋"), max_length=64)
    changed_fields = models.JSONField(_("變更欄位"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("建立者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("建立時間"))

    class Meta:
        ordering = ["application", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="one_version_number_per_application"
            )
        ]
        verbose_name = _("申請案版本")
        verbose_name_plural = _("申請案版本")

    def __str__(self):
        return f"{self.application} v{self.number}"


class SentMail(models.Model):
    """Every e-mail the system sent, as sent."""

    to = models.JSONField(_("收件者"), default=list)
    subject = models.CharField(_("主旨"), max_length=300)
    body = models.TextField(_("內容"))
    application = models.ForeignKey(
        Application,
        verbose_name=_("申請案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
    )
    sent_at = models.DateTimeField(_("寄送時間"))
    # Empty when the mail server accepted the message; otherwise why it did not.
    error = models.TextField(_("寄送失敗原因"), blank=True)
    # The mail this one sends again (the operator's 重新寄送); the original stays as it was.
    resent_from = models.ForeignKey(
        "self",
        verbose_name=_("原郵件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resends",
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("寄送郵件")
        verbose_name_plural = _("寄送郵件")

    def __str__(self):
        return self.subject
