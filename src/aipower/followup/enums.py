"""The standing of one award in a survey round, as the operator's list shows it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("已填報")
    PENDING = "pending", _("未填報")
    OVERDUE = "overdue", _("逾期")
