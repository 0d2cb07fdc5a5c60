"""The productisation survey (產品化調查) of the follow-up of outcomes (成效追蹤管理作業).

The operator opens a ``Round`` for a call (e.g. 「115年度產品化調查（第1次）」, one a year for the
3 years after the programme); it covers every award of the call whose period of use has ended by
the round's opening day. Each award's company fills in one ``Response`` per round: a draft it may
save at any time, and each submission kept as an append-only ``ResponseVersion`` (the latest
counts). ``Notice`` records the reminders sent. Business operations are in ``services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from aipower.applications.models import MailedNotice
from aipower.deliverables.models import AppendOnly


class Round(models.Model):
    """One survey round of a call, open from ``opens_on`` to ``due_on`` (inclusive)."""

    call = models.ForeignKey(
        "calls.Call",
        verbose_name=_("徵件"),
        on_delete=models.PROTECT,
        related_name="followup_rounds",
    )
    title = models.CharField(_("調查名稱"), max_length=200)
    title_en = models.CharField(_("調查名稱（英文）"), max_length=200, blank=True)
    opens_on = models.DateField(_("開放填報日"))
    due_on = models.DateField(_("填報截止日"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("開啟者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("開啟時間"))

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("產品化調查")
        verbose_name_plural = _("產品化調查")
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("opens_on")), name="followup_round_due_after_opening"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def shown_title(self):
        """The title in the page's language: the English one on English pages when the
        operator entered one, the zh-Hant one otherwise."""
        return self.title_in(translation.get_language())

    def title_in(self, language):
        return self.title_en if language == "en" and self.title_en else self.title


class Response(models.Model):
    """One award's answer to one round: the working draft (the submissions are versions)."""

    round = models.ForeignKey(
        Round, verbose_name=_("產品化調查"), on_delete=models.PROTECT, related_name="responses"
    )
    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.PROTECT,
        related_name="followup_responses",
    )
    draft = models.JSONField(_("草稿內容"), default=dict, blank=True)
    draft_saved_at = models.DateTimeField(_("草稿儲存時間"), null=True, blank=True)

    class Meta:
        ordering = ["round", "award"]
        verbose_name = _("產品化調查填報")
        verbose_name_plural = _("產品化調查填報")
        constraints = [
            models.UniqueConstraint(fields=["round", "award"], name="followup_response_once")
        ]

    def __str__(self):
        return f"{self.round} {self.award_id}"


class ResponseVersion(AppendOnly):
    """What the company submitted (number 1) and each later re-submission before the due date."""

    response = models.ForeignKey(
        Response,
        verbose_name=_("產品化調查填報"),
        on_delete=models.PROTECT,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("版次"))
    data = models.JSONField(_("填報內容"))
    fingerprint = models.CharField(_("內容指紋"), max_length=64)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填報者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("填報時間"), db_index=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("產品化調查填報版本")
        verbose_name_plural = _("產品化調查填報版本")
        constraints = [
            models.UniqueConstraint(fields=["response", "number"], name="followup_version_number")
        ]

    def __str__(self):
        return f"{self.response} v{self.number}"


class Notice(MailedNotice):
    """A reminder sent once per round, award and kind (before the due date, once overdue)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("產品化調查填報期限將屆")
        OVERDUE = "overdue", _("產品化調查逾期未填報")

    round = models.ForeignKey(
        Round, verbose_name=_("產品化調查"), on_delete=models.PROTECT, related_name="notices"
    )
    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.PROTECT,
        related_name="followup_notices",
    )
    kind = models.CharField(_("類型"), max_length=20, choices=Kind.choices)

    class Meta(MailedNotice.Meta):
        verbose_name = _("產品化調查通知")
        verbose_name_plural = _("產品化調查通知")
        constraints = [
            models.UniqueConstraint(fields=["round", "award", "kind"], name="followup_notice_once")
        ]

    def __str__(self):
        return f"{self.round} {self.award_id} {self.get_kind_display()}"
