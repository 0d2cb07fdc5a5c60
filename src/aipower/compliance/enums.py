"""Choices of the compliance app: the usage rules (使用規範) of the programme document, word for
word, and what the operator may decide on a violation."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageRule(models.TextChoices):
    """使用規範 (一) 1–7: what a company must not do with the platform."""

    PROFIT = (
        "1",
        _("執行各式虛擬貨幣的驗證計算（即挖礦）、對等網路檔案分享（即P2P）或任何營利行為。"),
    )
    MAINLAND_IP = "2", _("透過任何方式串接本平台至中港澳之遠端IP位置使用之行為。")
    INFRINGEMENT = "3", _("利用本平台從事侵害本署或第三人權益之行為。")
    UNLAWFUL = "4", _("其他違反法令或公序良俗之行為。")
    CHINESE_MODEL = (
        "5",
        _(
            "使用來自中國或中資的開源模型(如DeepSeek等)、介接工具(如API、MCP等) "
            "進行本算力平台之訓練及應用推論等使用行為。"
        ),
    )
    INACTIVITY = (
        "6",
        _(
            "未使用算力時間達核定申請時間過半週數，經通知專案聯絡人改善後隔日起算3個日曆天內若無繼續使用算力之行為。"
        ),
    )
    OBLIGATIONS = (
        "7",
        _("違反算力平台使用申請須知(以下簡稱本須知)柒、二、(二)算力使用者義務條款之行為。"),
    )


class Sanction(models.TextChoices):
    """What the platform decides: suspend the current service or bar the next application once;
    a serious (the company's second violation) or urgent case may be terminated."""

    PENDING = "pending", _("待處分")
    NONE = "none", _("不予處分")
    SUSPEND = "suspend", _("暫停現有服務")
    BAR = "bar", _("停權下次申請資格乙次")
    TERMINATE = "terminate", _("終止算力服務")


class NoticeOutcome(models.TextChoices):
    OPEN = "", _("觀察中")
    RESUMED = "resumed", _("已恢復使用")
    VIOLATION = "violation", _("已記錄違規")
    VOID = "void", _("不予計算")


class PledgeState(models.TextChoices):
    PENDING = "pending", _("待確認")
    MET = "met", _("已上架")
    UNMET = "unmet", _("未上架")


# 加分項目 3 and 4 of the application form: the pledged open-source addresses.
PLEDGE_FIELDS = {
    "dataset_huggingface_url": _("數據集 Hugging Face"),
    "dataset_github_url": _("數據集 GitHub"),
    "model_huggingface_url": _("模型 Hugging Face"),
    "model_github_url": _("模型 GitHub"),
}
