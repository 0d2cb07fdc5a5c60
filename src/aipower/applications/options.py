"""Fixed option lists of the year-115 forms (values stored, labels shown).

The model lists are operator data (calls.CatalogueModel), not here. Stored values are short
stable keys so a label can be reworded or translated without touching saved applications.
"""

from django.utils.translation import gettext_lazy as _

OTHER = "other"
NO_NEED = "none"
IN_DEVELOPMENT = "in_development"

DOMAINS = [
    ("disaster", _("防救災")),
    ("health", _("醫療健康")),
    ("manufacturing", _("製造")),
    ("retail", _("零售")),
    ("finance", _("金融")),
    ("public_welfare", _("公益")),
    ("transport", _("運輸")),
    ("education", _("教育")),
    (OTHER, _("其他")),
]

# Used only when the call has no industries configured.
INDUSTRY_CODES = [
    ("J582", _("J582(軟體出版業)")),
    ("J62", _("J62(電腦程式設計、諮詢及相關服務業)")),
    ("J63", _("J63(資訊服務業)")),
    ("K6699", _("K6699(第三方支付服務業)")),
]

YES_NO = [("yes", _("是")), ("no", _("否"))]
HAVE_NOT = [("yes", _("有")), ("no", _("沒有"))]

CUSTOMERS = [
    ("large_enterprise", _("大型企業")),
    ("government", _("政府單位/協會")),
    ("sme", _("中小型企業")),
    ("consumer", _("一般消費者")),
]

PROGRESS = [
    ("demonstrated", _("產品對外有演示：成果展示會或公開場合展示過")),
    ("launched", _("產品已上市：官網或社群貼文可查詢產品介紹")),
    ("priced", _("產品已有公開定價：官網或社群貼文可查詢產品價格")),
    (IN_DEVELOPMENT, _("以上皆無，尚在開發階段")),
]

PRODUCT_FORMS = [
    ("cloud", _("雲端服務")),
    ("desktop", _("桌面版 / 電腦版軟體")),
    ("mobile_app", _("行動裝置 App")),
    ("on_premises", _("本地伺服器")),
    ("agent_server", _("AI代理 + 伺服器架構")),
    (OTHER, _("其他")),
]

PRICING_UNITS = [
    ("per_user", _("按用戶數計費")),
    ("per_server", _("按伺服器台數計費")),
    ("per_cpu_core", _("按 CPU 核心數計費")),
    ("per_account", _("按帳號數計費")),
    ("per_asset", _("按資產數(Asset)計費")),
    (OTHER, _("其他")),
]

PRICING_PERIODS = [
    ("monthly", _("按月計費")),
    ("yearly", _("按年計費")),
    ("per_use", _("按次計費")),
    (OTHER, _("其他")),
]

EXAMPLE_IMPORTANCE = _(
    "目前，平均每位高齡照護員需要照顧30位獨居長者，這樣的工作需要大量專業照護相關知識。"
    "本專案將利用大型語言模型Llama-3搭配RAG技術，開發長者照護助理（高齡照護GPT）來協助第一線照護員，"
    "減輕他們的負擔，並提升照護品質。"
)
EXAMPLE_OPPORTUNITY = _(
    "協助健康醫療照護產業導入AI技術，發展各種專門領域的照護助理GPT。"
    "相關應用還包括智慧醫療助理、社工照護助理等。"
)
EXAMPLE_DATASET = _(
    "以標記的的監視器影像資料集20萬筆，容量約30GB，內容為生活周遭常見的事物。"
    "範例資料：Bicycle、Dog、Tree、Car"
)

# Fallbacks when the call has no such Text (the seeded call has them).
DEFAULT_CONSENT = _(
    "本人已充分知悉上述告知事項並同意本署蒐集、處理、利用本人個人資料,"
    "以及其他公務機關請求行政協助目的之提供。"
)
DEFAULT_DECLARATION_AGREE = _("聲明人已明確了解上述所有聲明與授權內容，並且同意遵守之。")
DEFAULT_PLEDGE_AGREE = _("本公司已明確了解上述所有切結內容，並且同意遵守所有規定")

# The self-declarations in the declaration that eligibility rests on (03-rules.md), named as
# the fields of aipower.registry.eligibility.Declarations: not Chinese-capital; no major breach
# of a government project in 3 years; no serious violation of environmental, labour,
# food-safety or disability-rights law in 3 years.
SELF_DECLARATIONS = ("no_mainland_capital", "no_major_breach", "no_serious_violation")
