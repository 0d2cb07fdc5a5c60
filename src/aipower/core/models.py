"""The audit log: every staff action and every security-relevant event, append-only.

Each entry carries the hash of the one before it (``prev_hash``) and its own ``hash`` over a
canonical JSON of its fields plus ``prev_hash`` (see ``core.audit.entry_hash``), so editing or
deleting an entry in the middle breaks the chain; ``manage.py verify_audit_chain`` finds where.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


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
        verbose_name = _("稽核紀錄")
        verbose_name_plural = _("稽核紀錄")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"
