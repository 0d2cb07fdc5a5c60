"""Choices of the registry app: snapshot states, operator list kinds, verdict states, the
start-up priority's states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SnapshotStatus(models.TextChoices):
    IMPORTING = "importing", _("匯入中")
    CURRENT = "current", _("使用中")
    SUPERSEDED = "superseded", _("已被取代")
    FAILED = "failed", _("匯入失敗")


class ListKind(models.TextChoices):
    """The operator's lists that the eligibility pre-check consults: five that refuse, and one
    that admits — the operator checked the company's business items on the Ministry of Finance's
    public query (財政部稅籍登記資料公示查詢, which the programme document makes authoritative)
    and found an eligible one the imported data set lacks (it holds four items at most, as of
    its publication date)."""

    SUSPENDED = "suspended", _("停權中")
    BARRED = "barred", _("停權下次申請資格乙次")
    MAINLAND_CAPITAL = "mainland_capital", _("陸資")
    # The programme's two three-year conditions (最近3年內…), each until three years after
    # the fact.
    MAJOR_BREACH = "major_breach", _("近3年內政府計畫重大違約")
    SERIOUS_VIOLATION = "serious_violation", _("近3年內嚴重違反環保、勞工、食安或身障權益法規")
    INDUSTRY_VERIFIED = "industry_verified", _("營業項目經人工查核符合")


class VerdictStatus(models.TextChoices):
    ELIGIBLE = "eligible", _("符合申請資格")
    NOT_ELIGIBLE = "not_eligible", _("不符合申請資格")
    UNVERIFIABLE = "unverifiable", _("無法自動查核")


class StartupPriorityStatus(models.TextChoices):
    """The start-up priority (優先資格) as the staff see it: the programme document bases it on
    the MOEA registration's approval date (核准設立日期), which neither the tax data nor the form
    holds for certain; where they leave it open, the operator checks and settles it."""

    YES = "yes", _("具新創優先資格")
    NO = "no", _("不具新創優先資格")
    CHECK = "check", _("新創優先資格待人工查核")
