"""Violations of the usage rules and the inactivity rule's notices.

A ``Violation`` is recorded by the operator with its evidence, or automatically (the inactivity
rule); the operator then decides the sanction (``services.decide``), which takes effect at once
on the gateway and the cluster export (the allowance's state) or on the next application (the
registry's 停權下次申請資格乙次 list). A company's second violation is serious (情節重大).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .enums import PLEDGE_FIELDS, NoticeOutcome, PledgeState, Sanction, UsageRule


class Violation(models.Model):
    award = models.ForeignKey(
        "review.Award", verbose_name=_("核定結果"), on_delete=models.PROTECT, related_name="+"
    )
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.PROTECT,
        related_name="violations",
    )
    rule = models.CharField(_("違反之使用規範"), max_length=2, choices=UsageRule.choices)
    occurred_on = models.DateField(_("發生日期"))
    evidence = models.TextField(_("事證說明"))
    automatic = models.BooleanField(_("系統自動記錄"), default=False)
    # The company's second (or later) violation: 情節重大.
    serious = models.BooleanField(_("情節重大"), default=False)
    urgent = models.BooleanField(_("情節急迫"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("記錄者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("記錄時間"))
    sanction = models.CharField(
        _("處分"), max_length=20, choices=Sanction.choices, default=Sanction.PENDING
    )
    decision_note = models.TextField(_("處分說明"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("處分者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("處分時間"), null=True, blank=True)
    # When a SUSPEND sanction was lifted (恢復服務), and by whom.
    reinstated_at = models.DateTimeField(_("恢復服務時間"), null=True, blank=True)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("恢復服務者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The 停權下次申請資格乙次 entry a BAR sanction put on the registry's list; one violation's
    # (the list's admin and the staff company page name it: ``entry.violation``).
    list_entry = models.OneToOneField(
        "registry.ListEntry",
        verbose_name=pgettext_lazy("model", "管制名單"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="violation",
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = pgettext_lazy("model", "違規紀錄")
        verbose_name_plural = _("違規紀錄")

    def __str__(self):
        return f"{self.company} {self.get_rule_display()[:20]} ({self.occurred_on})"

    @property
    def pending(self):
        return self.sanction == Sanction.PENDING


class InactivityNotice(models.Model):
    """The inactivity rule's notice to the project contacts: sent once per allowance; the three
    calendar days from the day after it decide whether it becomes a violation."""

    allowance = models.OneToOneField(
        "grants.Allowance",
        verbose_name=_("點數帳戶"),
        on_delete=models.CASCADE,
        related_name="inactivity_notice",
    )
    sent_at = models.DateTimeField(_("通知時間"))
    idle_weeks = models.PositiveSmallIntegerField(_("未使用週數"))
    period_weeks = models.PositiveSmallIntegerField(_("核定使用週數"))
    # The last of the three calendar days counted from the day after the notice (Asia/Taipei).
    respond_by = models.DateField(_("改善期限"))
    mail = models.ForeignKey(
        "applications.SentMail",
        verbose_name=_("寄送郵件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome = models.CharField(
        _("結果"),
        max_length=20,
        choices=NoticeOutcome.choices,
        default=NoticeOutcome.OPEN,
        blank=True,
    )
    # Why an expired notice did not become a violation (outcome VOID).
    void_reason = models.CharField(_("不予計算原因"), max_length=200, blank=True)
    violation = models.OneToOneField(
        Violation,
        verbose_name=pgettext_lazy("model", "違規紀錄"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inactivity_notice",
    )

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = pgettext_lazy("model", "未使用算力通知")
        verbose_name_plural = _("未使用算力通知")

    def __str__(self):
        return f"{self.allowance} {timezone.localtime(self.sent_at):%Y-%m-%d}"


class Pledge(models.Model):
    """An open-source address the application pledged (加分項目 3/4), checked by the operator
    when the period ends; an unmet pledge puts the company on the watch list."""

    award = models.ForeignKey(
        "review.Award", verbose_name=_("核定結果"), on_delete=models.PROTECT, related_name="+"
    )
    field = models.CharField(_("加分項目"), max_length=40, choices=list(PLEDGE_FIELDS.items()))
    url = models.URLField(_("預定網址"), max_length=500)
    state = models.CharField(
        _("上架情形"), max_length=20, choices=PledgeState.choices, default=PledgeState.PENDING
    )
    note = models.TextField(_("確認說明"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("確認時間"), null=True, blank=True)

    class Meta:
        ordering = ["award", "field"]
        verbose_name = pgettext_lazy("model", "開源上架承諾")
        verbose_name_plural = _("開源上架承諾")
        constraints = [
            models.UniqueConstraint(fields=["award", "field"], name="compliance_pledge_once")
        ]

    def __str__(self):
        return f"{self.award} {self.get_field_display()}"


class WatchEntry(models.Model):
    """觀察名單: a company that did not publish what it pledged (shown to the staff reviewing its
    later applications)."""

    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.PROTECT,
        related_name="watch_entries",
    )
    reason = models.TextField(_("原因"))
    pledge = models.OneToOneField(
        Pledge,
        verbose_name=pgettext_lazy("model", "開源上架承諾"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="watch_entry",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登錄者"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("登錄時間"))

    class Meta:
        ordering = ["-added_at"]
        verbose_name = pgettext_lazy("model", "觀察名單")
        verbose_name_plural = _("觀察名單")

    def __str__(self):
        return f"{self.company} {timezone.localtime(self.added_at):%Y-%m-%d}"
