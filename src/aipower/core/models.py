"""The audit log: every staff action and every security-relevant event, append-only; and the
store of the notices the system mails (``NotificationTemplate``, see ``core.notices``).

Each entry carries the hash of the one before it (``prev_hash``) and its own ``hash`` over a
canonical JSON of its fields plus ``prev_hash`` (see ``core.audit.entry_hash``), so editing or
deleting an entry in the middle breaks the chain; ``manage.py verify_audit_chain`` finds where.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template import TemplateSyntaxError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .i18n import join_list


class AuditEntry(models.Model):
    at = models.DateTimeField(_("時間"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("動作"), max_length=80, db_index=True)
    object_type = models.CharField(_("對象類型"), max_length=80, blank=True)
    object_id = models.CharField(_("對象編號"), max_length=80, blank=True)
    ip = models.GenericIPAddressField(_("來源位址"), null=True, blank=True)
    data = models.JSONField(pgettext_lazy("audit", "內容"), default=dict, blank=True)
    prev_hash = models.CharField(_("前筆雜湊"), max_length=64, blank=True)
    hash = models.CharField(_("雜湊"), max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The audit log's search by 對象編號 (an application's history) is an exact match; an
        # index rather than ``db_index=True``, which on PostgreSQL adds a second index for LIKE.
        indexes = [models.Index(fields=["object_id"], name="core_audit_object_id")]
        verbose_name = pgettext_lazy("model", "稽核紀錄")
        verbose_name_plural = _("稽核紀錄")

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.action}"


class NotificationTemplate(models.Model):
    """An e-mail the system sends, editable by the operator (Django template syntax).

    One row per notice kind (``key``); the admin edits it through ``review.NotificationTemplate``
    (a proxy, so it stays under 審查與核定 with its permissions)."""

    key = models.SlugField(_("代碼"), max_length=60, unique=True)
    description = models.CharField(_("用途"), max_length=200, blank=True)
    subject_zh = models.CharField(_("主旨"), max_length=300)
    body_zh = models.TextField(_("內容"))
    subject_en = models.CharField(_("主旨（英文）"), max_length=300, blank=True)
    body_en = models.TextField(_("內容（英文）"), blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = pgettext_lazy("model", "通知範本")
        verbose_name_plural = _("通知範本")

    def __str__(self):
        return self.key

    def clean(self):
        from . import notices

        errors = {}
        for name in ("subject_zh", "body_zh", "subject_en", "body_en"):
            source = getattr(self, name) or ""
            try:
                unknown = notices.unknown_variables(self.key, source)
            except TemplateSyntaxError as error:
                errors[name] = _("範本語法錯誤：%(error)s") % {"error": error}
                continue
            if unknown:
                errors[name] = _("此通知沒有這些變數：%(names)s。可用變數：%(available)s") % {
                    "names": join_list(unknown),
                    "available": join_list(notices.variables_of(self.key)),
                }
        if errors:
            raise ValidationError(errors)


class Throttle(models.Model):
    """Attempts of one address at one kind of sign-in (or one rate window), counted by
    ``core.throttle`` under a row lock so that attempts sent at once are all counted.

    Times are Unix seconds (``time.time()``): the row is a counter, never shown."""

    key = models.CharField(max_length=200, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    window_ends = models.FloatField(db_index=True)
    wait_until = models.FloatField(default=0)

    class Meta:
        verbose_name = _("登入節流")
        verbose_name_plural = _("登入節流")

    def __str__(self):
        return self.key


class FormUse(models.Model):
    """A one-time form token (``core.once``) that was sent, and what its form did: the token is
    unique, so a form sent twice (a second click, the back button, another tab) acts once."""

    token = models.CharField(max_length=64, unique=True)
    action = models.CharField(max_length=50)
    object_id = models.PositiveBigIntegerField(null=True)
    # Indexed: the daily prune deletes by age (``once.prune``), a range on this column.
    used_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("已送出之表單")
        verbose_name_plural = _("已送出之表單")

    def __str__(self):
        return f"{self.action} {self.token}"
