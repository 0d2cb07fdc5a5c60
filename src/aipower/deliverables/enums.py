"""The deliverables a company owes after its period of use, and the states shown for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Item(models.TextChoices):
    """The three deliverables of the commitment (承諾書): 結案報告、成果簡報、產品demo影片 乙式."""

    REPORT = "report", _("結案報告")
    SLIDES = "slides", _("成果簡報")
    VIDEO = "video", _("產品demo影片")


class ItemState(models.TextChoices):
    NOT_OPEN = "not_open", _("尚未開放")
    PENDING = "pending", _("未繳交")
    SUBMITTED = "submitted", _("已繳交")
    LATE = "late", _("逾期繳交")
    OVERDUE = "overdue", _("逾期未繳")


class Status(models.TextChoices):
    """One award's standing as a whole."""

    NOT_OPEN = "not_open", _("使用期間尚未結束")
    PENDING = "pending", _("待繳交")
    COMPLETE = "complete", _("已繳齊")
    OVERDUE = "overdue", _("逾期未繳齊")
