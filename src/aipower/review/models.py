"""The review's records: state changes, supplements, batches' freeze and approval, reviewer
assignments and scores, the meeting's staged decisions, budgets, notification templates, and
the outcome — an award of points to an approved application.

Models are thin; the operations are in ``services`` and ``workflow``.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aipower.applications.enums import ApplicationState
from aipower.core.models import NotificationTemplate as CoreNotificationTemplate


class Award(models.Model):
    """Points granted to one approved application, in the category's natural unit.

    ``units`` = ``points`` × the category's ``units_per_point`` (tokens or GPU-seconds), so the
    ledger never rounds.
    """

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.PROTECT,
        related_name="award",
    )
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("申請企業"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    category = models.ForeignKey(
        "calls.Category",
        verbose_name=_("申請類別"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    tier = models.ForeignKey(
        "calls.Tier",
        verbose_name=_("級別"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    points = models.PositiveIntegerField(_("核發點數"))
    units = models.PositiveBigIntegerField(_("核發計量單位數"))
    starts_on = models.DateField(_("使用期間起"))
    ends_on = models.DateField(_("使用期間迄"))
    allowed_models = models.ManyToManyField(
        "calls.CatalogueModel", verbose_name=_("可使用模型"), blank=True, related_name="awards"
    )
    approved_at = models.DateTimeField(_("核定時間"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核定者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("建立時間"), auto_now_add=True)

    class Meta:
        ordering = ["-approved_at"]
        verbose_name = _("核定結果")
        verbose_name_plural = _("核定結果")

    def __str__(self):
        return f"{self.company} {self.tier or ''} {self.points}"


class StateChange(models.Model):
    """One transition of an application: who, when, from what to what, and why."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.CASCADE,
        related_name="state_changes",
    )
    from_state = models.CharField(_("原狀態"), max_length=20, choices=ApplicationState.choices)
    to_state = models.CharField(_("新狀態"), max_length=20, choices=ApplicationState.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("時間"))
    reason = models.TextField(_("理由"), blank=True)

    class Meta:
        ordering = ["application", "at", "id"]
        verbose_name = _("狀態變更")
        verbose_name_plural = _("狀態變更")

    def __str__(self):
        return f"{self.application} {self.from_state} → {self.to_state}"


class SupplementRequest(models.Model):
    """補件: what the operator asks for, by when, and how it ended."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.CASCADE,
        related_name="supplement_requests",
    )
    message = models.TextField(_("補件說明"))
    steps = models.JSONField(_("需補正之頁面"), default=list)
    deadline = models.DateTimeField(_("補件期限"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("要求者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("要求時間"))
    answered_at = models.DateTimeField(_("補件時間"), null=True, blank=True)
    expired_at = models.DateTimeField(_("逾期時間"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒時間"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = pgettext_lazy("model", "補件要求")
        verbose_name_plural = _("補件要求")

    def __str__(self):
        return f"{self.application} {timezone.localtime(self.deadline):%Y-%m-%d}"

    @property
    def is_open(self):
        return self.answered_at is None and self.expired_at is None


class BatchReview(models.Model):
    """A batch's progress through review: frozen by the operator, approved by the organiser."""

    batch = models.OneToOneField(
        "calls.Batch", verbose_name=_("審查梯次"), on_delete=models.CASCADE, related_name="review"
    )
    frozen_at = models.DateTimeField(_("凍結時間"), null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("凍結者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The awards' first day, set by the operator before the list is approved (spec: "start
    # date set by the operator, default the day of publication"); empty: the day of approval.
    award_starts_on = models.DateField(_("使用期間起日"), null=True, blank=True)
    approved_at = models.DateTimeField(_("核定時間"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核定者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("梯次審查")
        verbose_name_plural = _("梯次審查")

    def __str__(self):
        return str(self.batch)


class Budget(models.Model):
    """The programme's points for one category of a call, and how many reviewers each needs."""

    category = models.OneToOneField(
        "calls.Category",
        verbose_name=_("申請類別"),
        on_delete=models.CASCADE,
        related_name="review_budget",
    )
    points = models.PositiveIntegerField(_("點數預算"))
    minimum_reviewers = models.PositiveSmallIntegerField(_("每案最少審查委員人數"), default=3)

    class Meta:
        verbose_name = _("點數預算")
        verbose_name_plural = _("點數預算")

    def __str__(self):
        return f"{self.category} {self.points}"


class ReviewerProfile(models.Model):
    """What a reviewer declares once: affiliations (names or 統一編號, one a line)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("審查委員"),
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    affiliations = models.TextField(
        _("任職或關係機構"), blank=True, help_text=_("機構名稱或統一編號，每行一個")
    )

    class Meta:
        verbose_name = _("審查委員資料")
        verbose_name_plural = _("審查委員資料")

    def __str__(self):
        return str(self.user)

    def affiliation_lines(self):
        return affiliation_lines(self.affiliations)


def affiliation_lines(text):
    """Affiliations as typed, one a line, without blank lines or the spaces around each."""
    return [line.strip() for line in str(text).splitlines() if line.strip()]


class Assignment(models.Model):
    """A reviewer assigned to an application: conflict declaration, then the scoring."""

    class Conflict(models.TextChoices):
        UNDECLARED = "undeclared", _("尚未聲明")
        NONE = "none", _("無利益衝突")
        DECLARED = "declared", _("有利益衝突，迴避")

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("審查委員"),
        on_delete=models.PROTECT,
        related_name="review_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("指派者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("指派時間"))
    conflict = models.CharField(
        _("利益迴避"), max_length=20, choices=Conflict.choices, default=Conflict.UNDECLARED
    )
    conflict_reason = models.TextField(_("迴避理由"), blank=True)
    conflict_flag = models.CharField(_("系統偵測之利益衝突"), max_length=200, blank=True)
    # A flag the operator confirmed is not a conflict (the check matches names, and a name can
    # match by chance), with why: the same match does not flag the reviewer again.
    conflict_flag_cleared = models.CharField(
        _("經確認非利益衝突之系統標記"), max_length=200, blank=True
    )
    conflict_flag_cleared_reason = models.TextField(_("確認非利益衝突之理由"), blank=True)
    declared_at = models.DateTimeField(_("聲明時間"), null=True, blank=True)
    overall_comment = models.TextField(_("總評"), blank=True)
    suggested_tier = models.CharField(_("建議級別"), max_length=10, blank=True)
    submitted_at = models.DateTimeField(_("評分送出時間"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("提醒時間"), null=True, blank=True)

    class Meta:
        ordering = ["application", "reviewer__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="one_assignment_per_reviewer"
            )
        ]
        verbose_name = _("審查指派")
        verbose_name_plural = _("審查指派")

    def __str__(self):
        return f"{self.application} / {self.reviewer}"

    @property
    def is_conflicted(self):
        return self.conflict == self.Conflict.DECLARED or bool(self.conflict_flag)

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class Score(models.Model):
    """One criterion's score (0–100) by one reviewer, with a comment. A draft may hold the
    comment of a criterion not scored yet (``value`` None); a submitted sheet has every score."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("審查指派"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        "calls.Criterion", verbose_name=_("審查重點"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(
        _("分數"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    comment = models.TextField(_("評語"), blank=True)

    class Meta:
        ordering = ["assignment", "criterion__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            )
        ]
        verbose_name = _("評分")
        verbose_name_plural = _("評分")

    def __str__(self):
        return f"{self.assignment} {self.criterion.key}={self.value}"


class Decision(models.Model):
    """The meeting's staged decision for one application, applied when the list is approved."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("核定通過")
        NOT_APPROVED = "not_approved", _("未獲核定")

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.CASCADE,
        related_name="review_decision",
    )
    outcome = models.CharField(_("決議"), max_length=20, choices=Outcome.choices)
    tier = models.ForeignKey(
        "calls.Tier",
        verbose_name=_("級別"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    points_override = models.PositiveIntegerField(_("主辦單位調整點數"), null=True, blank=True)
    override_reason = models.TextField(_("調整理由"), blank=True)
    reasons = models.TextField(_("決議理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("紀錄者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("決議時間"))

    class Meta:
        verbose_name = _("審查會議決議")
        verbose_name_plural = _("審查會議決議")

    def __str__(self):
        return f"{self.application} {self.get_outcome_display()}"

    @property
    def points(self):
        if self.outcome != self.Outcome.APPROVED:
            return 0
        if self.points_override is not None:
            return self.points_override
        return self.tier.points if self.tier else 0


class StartupPrioritySettlement(models.Model):
    """The operator's finding on an application's start-up priority (新創優先資格). The
    programme document bases it on the MOEA registration's approval date (核准設立日期); where
    the tax data and the applicant's declared date leave it open (``registry.eligibility.
    startup_priority``), the operator looks it up and settles it, with the reason. The
    reviewers' score sheet and the meeting then show the settled value."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("申請案"),
        on_delete=models.CASCADE,
        related_name="startup_priority_settlement",
    )
    priority = models.BooleanField(_("具新創優先資格"))
    reason = models.TextField(_("確認理由"))
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    settled_at = models.DateTimeField(_("確認時間"))

    class Meta:
        verbose_name = _("新創優先資格確認")
        verbose_name_plural = _("新創優先資格確認")

    def __str__(self):
        return f"{self.application} {self.priority}"


class NotificationTemplate(CoreNotificationTemplate):
    """The notice templates in the admin under 審查與核定, where operators edit them.

    The store itself is ``core.NotificationTemplate`` (every app's notices, reachable from
    ``applications`` too); this proxy keeps the admin page, its address and its permissions."""

    class Meta:
        proxy = True
        verbose_name = pgettext_lazy("model", "通知範本")
        verbose_name_plural = _("通知範本")
