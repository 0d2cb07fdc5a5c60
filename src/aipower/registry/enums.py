"""Choices of the registry app: snapshot states, operator list kinds, verdict states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotStatus(models.TextChoices):
    IMPORTING = "importing", _("匯入中")
    CURRENT = "current", _("使用中")
    SUPERSEDED = "superseded", _("已被取代")
    FAILED = "failed", _("匯入失敗")


class ListKind(models.TextChoices):
    """The operator's lists that the eligibility pre-check consults."""

    SUSPENDED = "suspended", _("停權中")
    BARRED = "barred", _("停止申請下一次")
    MAINLAND_CAPITAL = "mainland_capital", _("陸資")


class VerdictStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("符合申請資格")
    NOT_ELIGIBLE = "not_eligible", _("不符合申請資格")
    UNVERIFIABLE = "unverifiable", _("無法自動查核")
