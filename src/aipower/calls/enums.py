"""Enumerations of the programme configuration."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The legal forms (組織別名稱, as the tax registration data writes them) the programme admits
# — 獨資、合夥、有限合夥事業或公司 — a call's default; the operator may change a call's list.
ADMITTED_LEGAL_FORMS = (
    "獨資",
    "合夥",
    "有限合夥",
    "有限公司",
    "股份有限公司",
    "無限公司",
    "兩合公司",
)


class CategoryKind(models.TextChoices):
    TRAINING = "training", _("模型訓練類")
    INFERENCE = "inference", _("模型推論類")


class TextKey(models.TextChoices):
    """The fixed texts of a call, each stored per language."""

    TERMS = "terms", _("申請注意事項及使用規範")
    PERSONAL_DATA_NOTICE = "personal_data_notice", _("蒐集個人資料告知事項")
    PERSONAL_DATA_CONSENT = "personal_data_consent", _("個人資料提供同意")
    DECLARATION = "declaration", _("算力使用者聲明及同意事項")
    DECLARATION_AGREE = "declaration_agree", _("聲明同意")
    PLEDGE = "pledge", _("切結書")
    PLEDGE_AGREE = "pledge_agree", _("切結同意")
    NEXT_STEPS = "next_steps", _("後續程序")
    ELIGIBILITY = "eligibility", _("申請資格")
    OBLIGATIONS = "obligations", _("使用者義務")


class FormPage(models.TextChoices):
    """The application form's pages a note can be shown on (the wizard's step identifiers)."""

    PROFILE = "profile", _("基本資料")
    TRAINING_1 = "training-1", _("模型訓練類：專案主題及使用模型")
    TRAINING_2 = "training-2", _("模型訓練類：專案重要性及訓練資料集")
    TRAINING_3 = "training-3", _("模型訓練類：預期效益合理性")
    TRAINING_4 = "training-4", _("模型訓練類：預計產品化階段說明及其他需求")
    INFERENCE_1 = "inference-1", _("模型推論類：專案主題及使用模型")
    INFERENCE_2 = "inference-2", _("模型推論類：專案重要性及應用情境")
    INFERENCE_3 = "inference-3", _("模型推論類：預期效益合理性")
    INFERENCE_4 = "inference-4", _("模型推論類：預計產品化階段說明及其他需求")


class TokenRounding(models.TextChoices):
    RUNNING_TOTAL = "running_total", _("累計總量無條件進位")
    PER_REQUEST = "per_request", _("每次請求無條件進位")


class Offering(models.TextChoices):
    """Where a catalogue model is offered (``CatalogueModel.offered_*``)."""

    NO_CODE = "no_code", _("No-Code訓練平台環境")
    VALIDATION = "validation", _("模型驗證環境")
    INFERENCE = "inference", _("推論 API")
