"""What a company hands in after its period of use, the operator's record of the product demo
meeting, and the reminders sent.

``Submission`` and ``DemoAttendance`` are append-only: a new upload or a corrected attendance is
a new row and the latest row counts, so the history of what was handed in is never lost.
Business operations are in ``services.py``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from aipower.applications.models import MailedNotice

from .enums import Item
from .storage import private_storage, upload_to


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError(f"{self._meta.label} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(f"{self._meta.label} rows are append-only")


class Submission(AppendOnly):
    """One hand-in of one deliverable: an uploaded file or an https link, never both."""

    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.PROTECT,
        related_name="deliverable_submissions",
    )
    item = models.CharField(_("繳交項目"), max_length=20, choices=Item.choices)
    file = models.FileField(
        _("檔案"), storage=private_storage, upload_to=upload_to, max_length=200, blank=True
    )
    # The name the company's file had (shown and used for downloads; never part of the path).
    original_name = models.CharField(_("原始檔名"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("檔案大小（位元組）"), null=True, blank=True)
    sha256 = models.CharField(_("檔案雜湊（SHA-256）"), max_length=64, blank=True)
    link = models.URLField(_("連結網址"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("繳交者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("繳交時間"), db_index=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = pgettext_lazy("model", "成果繳交紀錄")
        verbose_name_plural = _("成果繳交紀錄")
        indexes = [models.Index(fields=["award", "item", "submitted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(link="")) | (~Q(file="") & Q(link="")),
                name="deliverables_submission_file_or_link",
            )
        ]

    def __str__(self):
        day = timezone.localtime(self.submitted_at)
        return f"{self.award_id} {self.get_item_display()} {day:%Y-%m-%d}"

    @property
    def is_file(self):
        return bool(self.file)


class DemoAttendance(AppendOnly):
    """The operator's record of a training company at the product demo meeting (產品demo會議)."""

    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.PROTECT,
        related_name="demo_attendances",
    )
    attended = models.BooleanField(_("是否出席"))
    meeting_on = models.DateField(_("會議日期"))
    note = models.CharField(_("備註"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登錄者"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登錄時間"))

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("產品demo會議出席紀錄")
        verbose_name_plural = _("產品demo會議出席紀錄")

    def __str__(self):
        return f"{self.award_id} {self.meeting_on} {self.attended}"


class Notice(MailedNotice):
    """A reminder sent once per award and kind (before the due date, once overdue)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("成果繳交期限將屆")
        OVERDUE = "overdue", _("成果逾期未繳齊")

    award = models.ForeignKey(
        "review.Award",
        verbose_name=_("核定結果"),
        on_delete=models.CASCADE,
        related_name="deliverable_notices",
    )
    kind = models.CharField(_("類型"), max_length=20, choices=Kind.choices)

    class Meta(MailedNotice.Meta):
        verbose_name = pgettext_lazy("model", "成果繳交通知")
        verbose_name_plural = _("成果繳交通知")
        constraints = [
            models.UniqueConstraint(fields=["award", "kind"], name="deliverables_notice_once")
        ]

    def __str__(self):
        return f"{self.award_id} {self.get_kind_display()}"
