"""Applications, their versions after submission, and the e-mails sent about them.

The answers live in ``Application.data``, one JSON object per section (``terms``, ``profile``,
``declaration``, ``training``, ``inference``, ``pledge``), so that switching the category
never mixes training and inference answers. Business operations are in ``services``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

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
        verbose_name_plural = pgettext_lazy("plural", "申請案")

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
        verbose_name = pgettext_lazy("model", "申請案版本")
        verbose_name_plural = _("申請案版本")

    def __str__(self):
        return f"{self.application} v{self.number}"


class SentMail(models.Model):
    """Every e-mail the system writes: the outbox and the log of what was sent.

    ``applications.services.send_mail_stored`` stores a mail as 待寄送 (``QUEUED``) and hands
    it to the background task after the transaction commits; ``outbox.deliver`` sends it and
    records the outcome. A failed attempt is retried at ``next_attempt_at`` (``outbox.RETRY``),
    after the last one the mail stays failed until the operator sends it again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("待寄送")
        # An attempt is under way; ``next_attempt_at`` is when it counts as lost (worker died).
        SENDING = "sending", _("寄送中")
        SENT = "sent", _("已寄出")
        FAILED = "failed", _("寄送失敗")

    to = models.JSONField(_("收件者"), default=list)
    # A mail to the staff about an application (a reviewer's assignment, a reminder): never
    # shown to the company, whatever becomes of the staff member's address later.
    to_staff = models.BooleanField(_("寄給工作人員"), default=False, editable=False)
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
    # When the mail was written (the notice's time); it is the log's order.
    queued_at = models.DateTimeField(_("建立時間"), default=timezone.now)
    status = models.CharField(
        _("寄送狀態"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # When the mail server accepted the message; empty until then.
    sent_at = models.DateTimeField(_("寄送時間"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("寄送次數"), default=0)
    # When the sweep (``manage.py send_due_mails``) tries this mail (again); empty when sent or
    # when no automatic attempt is left.
    next_attempt_at = models.DateTimeField(_("下次寄送時間"), null=True, blank=True)
    # Why the last attempt failed; empty once the mail server accepted the message.
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
        ordering = ["-queued_at", "-id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="sentmail_next_attempt"),
            # The mail log's order (/staff/mail/, tens of thousands of mails): a page is read
            # from the index, not sorted from the whole log.
            models.Index(fields=["queued_at", "id"], name="sentmail_queued"),
            # The failed mails (the log's filter, and the count on the mail log and the staff
            # home): a few among all, found without a pass over the log.
            models.Index(
                fields=["queued_at"], condition=Q(status="failed"), name="sentmail_failed"
            ),
        ]
        verbose_name = _("寄送郵件")
        verbose_name_plural = _("寄送郵件")

    def __str__(self):
        return self.subject

    @property
    def retrying(self):
        """Failed, with an automatic attempt still to come."""
        return self.status == self.Status.FAILED and self.next_attempt_at is not None


class MailedNotice(models.Model):
    """A notice sent once (the subclass's unique constraint says once per what): the mail that
    carried it and when. Points, deliverables and the follow-up survey each keep their own."""

    mail = models.ForeignKey(
        SentMail,
        verbose_name=_("寄送郵件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("寄送時間"))

    class Meta:
        abstract = True
        ordering = ["-sent_at"]
