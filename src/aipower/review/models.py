"""The outcome of the review: an award of points to an approved application.

(The review workflow's own models — eligibility decisions, supplements, assignments, scores,
meetings — live beside this one.)
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
