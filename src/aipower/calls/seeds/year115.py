# ruff: noqa: E501 -- paragraphs of the document are kept one per line, as the texts show them
"""Programme year 115 (2026), transcribed from the programme document
(``shared/seed/000_092a0f1b4ae1c5ef.txt``), the source of truth for every text, date and number.

Only data lives here; ``aipower.calls.seed.seed_call`` writes it. Each text is given in zh-Hant
(exactly as the document words it) and in English (our translation). Where the document is
silent, contradicts itself or is plainly wrong, a comment says what was chosen and why.
"""

import datetime
from zoneinfo import ZoneInfo

TAIPEI = ZoneInfo("Asia/Taipei")


def _at(year, month, day, hour=0, minute=0, second=0):
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=TAIPEI)


def _day_before_2359(review_date):
    """The seeded cut-off of a batch: the day before its review date, 23:59:59 Asia/Taipei."""
    day = review_date - datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=TAIPEI)


YEAR = 115

CALL = {
    "title_zh": "115年度 算力平台申請說明",
    "title_en": "2026 AI Compute Platform Call",
    "programme_zh": "數位產業跨域軟體基盤暨數位服務躍升計畫",
    "programme_en": (
        "Programme for Cross-domain Software Foundations and the Advancement of Digital Services"
    ),
    # The document opens the call 「自公告日起」 (from the announcement date) but gives no date.
    # 2026-05-01 00:00 Asia/Taipei is our assumption; the operator corrects it in the admin.
    "opens_at": _at(2026, 5, 1),
    # 「自公告日起至115年10月30日23:59截止」: the whole last minute counts.
    "closes_at": _at(2026, 10, 30, 23, 59, 59),
    "is_suspended": False,
    # 「通過後可獲得 3 個月免費算力 使用權限」
    "validity_months": 3,
    # 「於平台使用到期日後30個日曆天提交」
    "deliverables_days": 30,
    # 「核准設立日期須為民國107年1月1日(含)後成立」
    "startup_founded_on_or_after": datetime.date(2018, 1, 1),
    # 「其中一項數字開頭為 J582、J62、J63、K6699即可」. The tax registration uses 6-digit codes
    # (4-digit class + 2-digit subclass), so the letter is dropped and J582 becomes 5820.
    "industries": [
        {
            "code": "J582",
            "name_zh": "軟體出版業",
            "name_en": "Software publishing",
            "prefixes": ["5820"],
        },
        {
            "code": "J62",
            "name_zh": "電腦程式設計、諮詢及相關服務業",
            "name_en": "Computer programming, consultancy and related activities",
            "prefixes": ["62"],
        },
        {
            "code": "J63",
            "name_zh": "資訊服務業",
            "name_en": "Information service activities",
            "prefixes": ["63"],
        },
        {
            "code": "K6699",
            "name_zh": "第三方支付服務業",
            "name_en": "Third-party payment services",
            "prefixes": ["6699"],
        },
    ],
    "token_rounding": "running_total",
    "organiser_zh": "數位發展部數位產業署",
    "organiser_en": "Administration for Digital Industries, moda",
    "executor_zh": "台灣智慧雲端服務股份有限公司",
    # The document gives no English name for the executor; this is the company's own English
    # name (TWSC, 台智雲). The operator can change it in the admin.
    "executor_en": "Taiwan Web Service Corporation (TWSC)",
    # The document lists the co-organisers twice and differently: the contact page gives only
    # 中華民國資訊軟體服務商業同業公會、IMA中華民國資訊經理人協會; the cover adds 國家科學及技術委員會
    # and 國家高速網路與計算中心. We use the cover's full list.
    "co_organisers_zh": (
        "國家科學及技術委員會、國家高速網路與計算中心、"
        "中華民國資訊軟體服務商業同業公會、中華民國資訊經理人協會"
    ),
    "co_organisers_en": (
        "National Science and Technology Council; "
        "National Center for High-performance Computing; "
        "Information Service Industry Association of R.O.C. (CISA); "
        "Information Management Association of R.O.C. (IMA)"
    ),
    "service_email": "aipower.service@twcloud.ai",
    "service_phone_zh": "(02) 2898-7447 分機 86539、86542",
    "service_phone_en": "+886-2-2898-7447 ext. 86539, 86542",
    "service_hours_zh": "週一至週五 9:00~18:00",
    "service_hours_en": "Monday to Friday, 9:00–18:00 (Taipei time)",
    "site_url": "https://aipower.dginfra.gov.tw",
}

TRAINING_REVIEW_DATES = [
    datetime.date(2026, 7, 1),
    datetime.date(2026, 9, 1),
    datetime.date(2026, 11, 2),
]
INFERENCE_REVIEW_DATES = [
    datetime.date(2026, 7, 1),
    datetime.date(2026, 7, 21),
    datetime.date(2026, 8, 11),
    datetime.date(2026, 9, 1),
    datetime.date(2026, 9, 29),
    datetime.date(2026, 11, 2),
]

CATEGORIES = [
    {
        "kind": "training",
        "order": 1,
        "name_zh": "模型訓練類",
        "name_en": "Model training",
        "tagline_zh": "打造專屬AI，深耕核心能力",
        "tagline_en": "Build your own AI, deepen your core capabilities",
        "description_zh": (
            "容器型環境\n"
            "☑ 零成本啟動，GPU資源立即上線\n"
            "☑ 彈性容器環境，自由搭建你要的訓練場域\n"
            "☑ 模型成果可下載、可封裝，100%自行掌握\n"
            "\n"
            "No-code型\n"
            "☑ 自帶資料集上傳，客製模型輕鬆打造\n"
            "☑ 多款開源模型任你選，訓練效果即時比較\n"
            "☑ 內建訓練工具與最佳化環境，無需額外設定\n"
            "\n"
            "API串接\n"
            "☑ 直接串接你的平台/SaaS系統\n"
            "☑ 多模型隨選測試，靈活優化\n"
            "\n"
            "使用效益\n"
            "☑ 打造特定產業/場域 專屬模型\n"
            "☑ 提升模型在產業或場域的適配、專屬服務能力\n"
            "☑ No Code 工具平台降低技術門檻，讓資服業者也能投入前沿AI開發"
        ),
        "description_en": (
            "Container environment\n"
            "☑ Start at zero cost, with GPU resources online at once\n"
            "☑ A flexible container environment: build the training ground you want\n"
            "☑ Download and package your model results: 100% under your own control\n"
            "\n"
            "No-code\n"
            "☑ Upload your own data set and build a custom model with ease\n"
            "☑ Choose from many open-source models and compare training results instantly\n"
            "☑ Built-in training tools and an optimised environment, no extra set-up\n"
            "\n"
            "API integration\n"
            "☑ Connect directly to your platform or SaaS system\n"
            "☑ Test many models on demand and optimise flexibly\n"
            "\n"
            "Benefits\n"
            "☑ Build models dedicated to a specific industry or field\n"
            "☑ Improve a model's fit and dedicated service capability in an industry or field\n"
            "☑ The no-code tool platform lowers the technical barrier, so IT-service companies "
            "can also take part in cutting-edge AI development"
        ),
        "point_definition_zh": "1點=0.5GPU小時",
        "point_definition_en": "1 point = 0.5 GPU-hour",
        # Natural unit: GPU-seconds. 0.5 GPU-hour = 1,800 GPU-seconds; metered per GPU-second.
        "units_per_point": 1800,
        "metering_unit": 1,
        "batches": [
            {"number": n, "review_date": d, "cutoff_at": _day_before_2359(d)}
            for n, d in enumerate(TRAINING_REVIEW_DATES, start=1)
        ],
        "criteria": [
            {
                "key": "importance",
                "name_zh": "專案重要性",
                "name_en": "Project importance",
                "weight": 30,
            },
            {
                "key": "opportunity",
                "name_zh": "產業應用機會",
                "name_en": "Industry application opportunities",
                "weight": 15,
            },
            {
                "key": "dataset",
                "name_zh": "訓練資料集",
                "name_en": "Training data set",
                "weight": 10,
            },
            {
                "key": "resources",
                "name_zh": "使用模型及資源需求",
                "name_en": "Models used and resource needs",
                "weight": 20,
            },
            {
                "key": "benefit",
                "name_zh": "預期效益合理性",
                "name_en": "Reasonableness of the expected benefits",
                "weight": 15,
            },
            {
                "key": "productisation",
                "name_zh": "預計產品化階段說明",
                "name_en": "Planned productisation stage",
                "weight": 10,
            },
        ],
    },
    {
        "kind": "inference",
        "order": 2,
        "name_zh": "模型推論類",
        "name_en": "Model inference",
        "tagline_zh": "降低導入門檻，快速驗證創意",
        "tagline_en": "Lower the barrier to adoption, validate ideas quickly",
        "description_zh": (
            "API串接應用 不寫程式也能做AI\n"
            "適合對象：想快速驗證AI在推論應用的創意、但不想從零開發之資服業者\n"
            "👉 直接串接你的平台/SaaS系統\n"
            "👉 多模型隨選測試，靈活優化\n"
            "👉 快速驗證商業模式、不用寫訓練程式！\n"
            "\n"
            "透過 API token 快速驗證 Prompting 提示詞、AI Agent 代理機制、"
            "RAG 強效檢索功能設計實用性。"
        ),
        "description_en": (
            "API integration: AI without writing code\n"
            "For: IT-service companies that want to validate an idea for AI inference quickly "
            "without developing from scratch\n"
            "👉 Connect directly to your platform or SaaS system\n"
            "👉 Test many models on demand and optimise flexibly\n"
            "👉 Validate your business model quickly, with no training code to write!\n"
            "\n"
            "Use API tokens to validate quickly how practical your prompts, AI agent mechanisms "
            "and RAG retrieval designs are."
        ),
        "point_definition_zh": "1點=10萬個Token數Input或Output，最小計量單位為千個Token數",
        "point_definition_en": (
            "1 point = 100,000 tokens of input or output; the smallest metering unit is "
            "1,000 tokens"
        ),
        # Natural unit: tokens. Charged in whole 1,000-token units.
        "units_per_point": 100_000,
        "metering_unit": 1000,
        "batches": [
            {"number": n, "review_date": d, "cutoff_at": _day_before_2359(d)}
            for n, d in enumerate(INFERENCE_REVIEW_DATES, start=1)
        ],
        "criteria": [
            {
                "key": "importance",
                "name_zh": "專案重要性",
                "name_en": "Project importance",
                "weight": 25,
            },
            {
                "key": "opportunity",
                "name_zh": "產業應用機會",
                "name_en": "Industry application opportunities",
                "weight": 25,
            },
            {
                "key": "scenario",
                "name_zh": "應用情境說明",
                "name_en": "Application scenario",
                "weight": 20,
            },
            {
                "key": "benefit",
                "name_zh": "預期效益合理性",
                "name_en": "Reasonableness of the expected benefits",
                "weight": 20,
            },
            {
                "key": "productisation",
                "name_zh": "預計產品化階段說明",
                "name_en": "Planned productisation stage",
                "weight": 10,
            },
        ],
    },
]

# 「L1級 核發點數1,000點。」 and so on; the same for both categories.
TIERS = [
    {"code": "L1", "points": 1000, "order": 1},
    {"code": "L2", "points": 2000, "order": 2},
    {"code": "L3", "points": 6000, "order": 3},
]


def _model(name, size, vendor, country, upstream, *, no_code=False):
    """A model the document lists for validation (C) and inference; ``no_code`` for B."""
    return {
        "display_name": name,
        "parameter_size": size,
        "vendor": vendor,
        "country": country,
        "offered_no_code": no_code,
        "offered_validation": True,
        "offered_inference": True,
        "upstream_id": upstream,
        "enabled": True,
        "prohibited": False,
    }


TWSC = "Taiwan Web Service Corporation (TWSC)"

# The model catalogue, in the document's order. Display names are the document's labels (with the
# size in brackets where the document shows one), so the forms show exactly what it shows.
# Corrections: the document lists "Llama 4 Maverick" twice (once as "meta-llama/Llama 4
# Maverick"): one entry. It gives the Nemotron Ultra 253B a size of 23.6B (copied from the line
# above): the size is 253B, and the wrong bracket is dropped from the label. Sizes the document
# does not give come from the models' public cards, or stay blank when unknown.
# Upstream ids are the Hugging Face / vLLM ids the gateway routes to; the operator adjusts them
# to what the platform actually serves.
MODELS = [
    _model(
        "Llama-3.1-TAIDELX-8B-Lora",
        "8B",
        "TAIDE",
        "TW",
        "taide/Llama-3.1-TAIDE-LX-8B-Chat",
        no_code=True,
    ),
    _model("Llama-3.1-FFM-8B-Lora", "8B", TWSC, "TW", "twsc/Llama-3.1-FFM-8B-Chat", no_code=True),
    _model("Llama-3.2-FFM-11B", "11B", TWSC, "TW", "twsc/Llama-3.2-FFM-11B-Vision-Chat"),
    _model("Meta-Llama3.2-11B", "11B", "Meta", "US", "meta-llama/Llama-3.2-11B-Vision-Instruct"),
    _model(
        "Llama-3-Taiwan-70B-Lora",
        "70B",
        "Yen-Ting Lin",
        "TW",
        "yentinglin/Llama-3-Taiwan-70B-Instruct",
        no_code=True,
    ),
    _model(
        "Llama-3.1-FoxBrain-70B-Lora",
        "70B",
        "Hon Hai Research Institute (Foxconn)",
        "TW",
        "honhai/FoxBrain-Llama-3.1-70B",
        no_code=True,
    ),
    _model(
        "Llama-3.3-FFM-70B-Lora", "70B", TWSC, "TW", "twsc/Llama-3.3-FFM-70B-Chat", no_code=True
    ),
    _model("Llama-3.3-70B-Lora", "70B", "Meta", "US", "meta-llama/Llama-3.3-70B-Instruct"),
    _model(
        "Phi 4 Reasoning Plus (14.7B)", "14.7B", "Microsoft", "US", "microsoft/Phi-4-reasoning-plus"
    ),
    _model(
        "Magistral Small 2506 (23.6B)",
        "23.6B",
        "Mistral AI",
        "FR",
        "mistralai/Magistral-Small-2506",
    ),
    _model(
        "Llama-3.3 Nemotron Ultra 253B v1",
        "253B",
        "NVIDIA",
        "US",
        "nvidia/Llama-3_1-Nemotron-Ultra-253B-v1",
    ),
    _model(
        "Llama-3.3 Nemotron Super 49B v1 (49.9B)",
        "49.9B",
        "NVIDIA",
        "US",
        "nvidia/Llama-3_3-Nemotron-Super-49B-v1",
    ),
    _model(
        "meta-llama/Llama-4-Scout-17B-16E-Instruct (108B)",
        "108B",
        "Meta",
        "US",
        "meta-llama/Llama-4-Scout-17B-16E-Instruct",
    ),
    _model(
        "meta-llama/Llama 4 Maverick",
        "400B",
        "Meta",
        "US",
        "meta-llama/Llama-4-Maverick-17B-128E-Instruct",
    ),
    _model("openai/gpt-oss-20b", "21B", "OpenAI", "US", "openai/gpt-oss-20b"),
    _model("openai/gpt-oss-120b", "117B", "OpenAI", "US", "openai/gpt-oss-120b"),
    _model(
        "taide / Gemma-3-TAIDE-12b-Chat-2602",
        "12B",
        "TAIDE",
        "TW",
        "taide/Gemma-3-TAIDE-12b-Chat-2602",
    ),
    _model("Gemma 4 26B-A4B", "26B A4B", "Google", "US", "google/gemma-4-26b-a4b-it"),
    _model("Gemma 4 31B", "31B", "Google", "US", "google/gemma-4-31b-it"),
    _model("Gemma 4 E2B", "E2B", "Google", "US", "google/gemma-4-e2b-it"),
    _model("Gemma 4 E4B", "E4B", "Google", "US", "google/gemma-4-e4b-it"),
    _model(
        "Nemotron 3 Nano (30B A3B)",
        "30B A3B",
        "NVIDIA",
        "US",
        "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B",
    ),
    _model(
        "Nemotron 3 Nano Omni 30B A3B",
        "30B A3B",
        "NVIDIA",
        "US",
        "nvidia/Nemotron-3-Nano-Omni-30B-A3B",
    ),
    _model(
        "Nemotron 3 Super (120B A12B)",
        "120B A12B",
        "NVIDIA",
        "US",
        "nvidia/NVIDIA-Nemotron-3-Super-120B-A12B",
    ),
    _model("Mistral Large 3", "675B", "Mistral AI", "FR", "mistralai/Mistral-Large-3"),
    _model("Mistral Medium 3.5", "", "Mistral AI", "FR", "mistralai/Mistral-Medium-3.5"),
    _model("Mistral Small 4", "", "Mistral AI", "FR", "mistralai/Mistral-Small-4"),
    # Not in the document's lists: the usage rules forbid models from China or Chinese-funded
    # vendors 「(如DeepSeek等)」. Seeded so the gateway and the forms can prove it is never
    # offered and never routed.
    {
        "display_name": "DeepSeek-R1",
        "parameter_size": "671B",
        "vendor": "DeepSeek",
        "country": "CN",
        "offered_no_code": False,
        "offered_validation": False,
        "offered_inference": False,
        "upstream_id": "deepseek-ai/DeepSeek-R1",
        "enabled": False,
        "prohibited": True,
    },
]
for _order, _entry in enumerate(MODELS, start=1):
    _entry["order"] = _order
del _order, _entry

# ---------------------------------------------------------------------------------------------
# Texts. Bodies are plain text with line breaks (templates render them with |linebreaks).

TERMS_ZH = """\
一、申請注意事項
(一) 本平台所提供之資源僅限GPU算力、作業環境與儲存空間。
(二) 申請企業所提供及填報之各項資料，皆應與申請企業現況、事實相符，絕不可侵害他人專利權、著作權、商標權或營業秘密等相關智慧財產權，否則應自負一切法律責任。
(三) 本平台將依據審議結果，擇優選擇合適申請企業核定算力使用資源。
(四) 本平台得隨時更動、停止本平台之部分或全部功能服務。本平台服務若有重大變更或停止，將另行於本平台網站公告或通知。其餘如有未盡事宜，以本平台網站公告或通知為準。

二、使用規範
(一) 本平台之使用，不得逾越經本平台核定之專案使用範圍，且不得為下列行為：
1. 執行各式虛擬貨幣的驗證計算（即挖礦）、對等網路檔案分享（即P2P）或任何營利行為。
2. 透過任何方式串接本平台至中港澳之遠端IP位置使用之行為。
3. 利用本平台從事侵害本署或第三人權益之行為。
4. 其他違反法令或公序良俗之行為。
5. 使用來自中國或中資的開源模型(如DeepSeek等)、介接工具(如API、MCP等) 進行本算力平台之訓練及應用推論等使用行為。
6. 未使用算力時間達核定申請時間過半週數，經通知專案聯絡人改善後隔日起算3個日曆天內若無繼續使用算力之行為。
7. 違反算力平台使用申請須知(以下簡稱本須知)柒、二、(二)算力使用者義務條款之行為。
使用者於算力使用期間有上述任一情事者，本平台得判定暫停現有服務或停權下次申請資格乙次，累計違規兩次者，列為情節重大；情節重大或急迫者，本平台得逕行刪除涉及違反規定之內容、終止或解除算力服務，或採取其他必要處置。
(二) 算力使用者義務條款：業者同意遵守以下規定
1. 以本平台服務處理、儲存、計算之內容及任何方式使用本平台服務所獲得之電腦計算結果（下稱使用者內容）為使用者所有。使用者同意配合於計畫結束後至少3年配合本署或執行單位計畫成果展示宣導活動及相關成效追蹤管理作業，包含保留操作使用本平台之紀錄檔(system log)備查，提交資料如產品化調查、結案報告、成果簡報等，相關規定如附件申請表說明。
2. 使用者就違反本須知或有違反法規之行為致本平台因第三人主張權利而受有損害時，需負擔損害賠償責任，並支付律師服務等因訴訟衍生之一切費用。
3. 請確實保管帳號及密碼。以適當方式保護、存檔及備份登入憑證及帳號內容。不得銷售、轉傳或逾越本平台核定之專案使用範圍授權第三人登入憑證及帳號鑰匙。
4. 使用者僅得於本平台所允許範圍內使用算力服務及使用本平台之相關資訊。未經本平台同意，使用者不得任意公開本平台內容。
(三) 核定使用期間屆滿後，本平台將收回算力使用權限，並清除儲存空間。
(四) 免責聲明
1. 本平台以現狀提供服務，不就服務不中斷、無錯誤負責保證責任。
2. 本平台不就算力使用者所上傳之各項資料、使用者內容負責保證責任。
3. 如因天災、罷工、停電、電信設備故障、地震、颱風、封鎖、禁運、暴動、政府行為或命令、恐怖主義行為、供應斷鏈或戰爭等不可抗力之原因或事件造成服務中斷、受阻礙或遲延時，本平台不負任何損害賠償責任。
4. 本平台建置高標準資訊安全管理流程，涵蓋使用者資料存取控制、帳號安全、日誌監控及內部稽核作業，確保使用過程中之機敏資訊不致外洩或遭濫用。平台預設不保留用戶提交訓練資料、推論資料等用戶專屬機敏資料，若有特殊調查需求，將另行徵得使用者明確同意。
(五) 本平台配合法令或政府之要求，或與提供軟體、技術之第三方間之法律關係屆滿、終止，或經第三方要求本平台於服務中改變提供軟體、技術之方式時，得以書面立即終止本平台服務。"""

TERMS_EN = """\
1. Notes on applying
(1) The resources this platform provides are limited to GPU compute, a working environment and storage space.
(2) All information the applicant company provides and fills in must match the company's actual situation and the facts, and must in no way infringe the patents, copyrights, trademarks, trade secrets or other intellectual property rights of others; otherwise the applicant bears all legal liability itself.
(3) Based on the outcome of the review, the platform selects the most suitable applicant companies on merit and approves their compute resources.
(4) The platform may change or stop some or all of its functions and services at any time. Any major change to or suspension of the platform's services will be announced or notified separately on the platform's website. Any matter not covered here is governed by the announcements or notices on the platform's website.

2. Usage rules
(1) Use of the platform must not go beyond the project scope the platform has approved, and the following are not allowed:
1. Running validation computations for any kind of virtual currency (i.e. mining), peer-to-peer file sharing (i.e. P2P), or any for-profit activity.
2. Connecting the platform by any means to remote IP addresses in mainland China, Hong Kong or Macau.
3. Using the platform to infringe the rights and interests of the Administration or of third parties.
4. Any other conduct that breaks the law or offends public order and morals.
5. Using open-source models (such as DeepSeek) or integration tools (such as APIs or MCP) from China or Chinese-funded vendors for training, inference or any other use of this compute platform.
6. Leaving the compute unused for half of the weeks of the approved period and, after the project contact has been notified to remedy this, still not resuming use of the compute within 3 calendar days counted from the day after the notice.
7. Breaching the compute user obligations in Chapter 7, Section 2, (2) of the Compute Platform Application Guidelines (the "Guidelines").
If a user does any of the above during the period of use, the platform may suspend the current service or bar the company from the next application once; two violations in total count as serious. In serious or urgent cases the platform may delete the offending content directly, terminate or rescind the compute service, or take other necessary measures.
(2) Compute user obligations: the company agrees to observe the following
1. The content processed, stored or computed with the platform's services, and the computing results obtained from any use of the platform's services (the "user content"), belong to the user. The user agrees, for at least 3 years after the programme ends, to cooperate with the Administration's or the executor's result showcases and promotion activities and with the related follow-up of outcomes, including keeping the system logs of its use of the platform for inspection and submitting material such as a productisation survey, a final report and a results presentation, as described in the attached application form.
2. If the platform suffers damage because a third party asserts rights over the user's breach of the Guidelines or of the law, the user shall compensate the damage and pay all costs arising from the litigation, including lawyers' fees.
3. Keep your account and password safe. Protect, store and back up your login credentials and account content appropriately. Do not sell or pass on login credentials and account keys, or authorise third parties to use them beyond the project scope the platform has approved.
4. The user may use the compute service and information about the platform only as far as the platform allows. The user must not make the platform's content public without the platform's consent.
(3) When the approved period of use expires, the platform withdraws access to the compute and clears the storage space.
(4) Disclaimer
1. The platform provides the service as is and does not warrant that the service will be uninterrupted or error-free.
2. The platform gives no warranty for any data uploaded by compute users or for user content.
3. The platform is not liable for any damages when the service is interrupted, obstructed or delayed by force majeure causes or events such as natural disasters, strikes, power cuts, telecommunications equipment failures, earthquakes, typhoons, blockades, embargoes, riots, acts or orders of government, acts of terrorism, supply-chain breakdowns or war.
4. The platform has high-standard information security management processes covering access control of user data, account security, log monitoring and internal audits, so that sensitive information is not leaked or misused during use. By default the platform does not keep users' own sensitive data such as the training data and inference data they submit; should an investigation require it, the user's explicit consent will be obtained separately.
(5) The platform may terminate its service immediately by written notice when required by law or by the government, when its legal relationship with a third party that provides software or technology expires or ends, or when a third party requires the platform to change how that software or technology is provided in the service."""

PERSONAL_DATA_NOTICE_ZH = """\
本署為遵守個人資料保護法(下稱本法),向您蒐集個人資料前,依法告知下列事項:
1、為執行本平台,本署將擷取您的個人資料類別為姓名、電話、電子郵件、職稱。
2、除涉及國際業務或活動外,您的個人資料僅供本署於中華民國境內且在前述蒐集目的之必要範圍內,以合理方式利用至蒐集目的消失為止。
3、您可依本法第3條之規定,向本署行使查詢或請求閱覽、製給複製本、補充或更正、停止蒐集、處理、利用或删除您的個人資料。另依本法第14條之規定,本署得酌收行政作業費用。
4、若您拒絕提供或未提供正確個人資料,本署將無法為您提供蒐集目的之相關服務。
5、您瞭解本同意書符合個人資料保護法及相關法規之要求,且同意本署留存本同意書,供日後取出查驗。
6、本署因業務需要而委託其他機關處理您的個人資料時,本署將會善盡監督之責。"""

PERSONAL_DATA_NOTICE_EN = """\
To comply with the Personal Data Protection Act (the "Act"), the Administration informs you of the following before collecting your personal data:
1. To run this platform, the Administration will collect these categories of your personal data: name, telephone number, e-mail address and job title.
2. Except where international business or activities are involved, your personal data will be used only by the Administration, within the territory of the Republic of China (Taiwan), within the scope necessary for the purpose of collection stated above, in a reasonable manner and until that purpose no longer exists.
3. Under Article 3 of the Act you may ask the Administration to let you query or view your personal data, to give you a copy, to supplement or correct it, to stop collecting, processing or using it, or to delete it. Under Article 14 of the Act the Administration may charge a reasonable administrative fee.
4. If you refuse to provide, or do not provide correct, personal data, the Administration will not be able to provide you with the services for which the data are collected.
5. You understand that this consent form meets the requirements of the Personal Data Protection Act and related regulations, and you agree that the Administration keeps this consent form for later inspection.
6. When the Administration, for business needs, entrusts another agency with processing your personal data, the Administration will duly supervise it."""

PERSONAL_DATA_CONSENT_ZH = (
    "本人已充分知悉上述告知事項並同意本署蒐集、處理、利用本人個人資料,"
    "以及其他公務機關請求行政協助目的之提供。"
)
PERSONAL_DATA_CONSENT_EN = (
    "I have been fully informed of the above and agree that the Administration collects, "
    "processes and uses my personal data, and provides it to other government agencies for the "
    "purpose of requests for administrative assistance."
)

# The document's declaration shows only item (二) under 一、智慧財產權事項 (its item (一) is
# missing from the source). We keep exactly what the document gives rather than invent an (一).
# The form heads this text with 「聲明人 <company name> 聲明及同意以下事項：」, the company name
# filled in by the system, so that line is not part of the body.
DECLARATION_ZH = """\
一、智慧財產權事項
(二) 使用於本平台之相關資料確實為合法管道取得，且為執行本專案所有圖表、文字、影音（像）、軟硬體、程式碼、資料集及其他因執行本專案所產生的創意與構想等相關內容，皆為自行創作或已得智慧財產權人授權而為合法使用，無侵害他人智慧財產權或個資之不法情事。

二、其他事項
(一) 同意遵守本須知。
(二) 非陸資投資之企業（依經濟部商業發展署商工登記資料公示查詢服務之股權狀況或經濟部投資審議司之陸資來臺投資事業名錄為準）。
(三) 最近3年內無下列情事：
1. 執行政府計畫有重大違約紀錄或因此受停權處分且停權期間尚未屆滿。
2. 違反環境保護、勞工、食品安全衛生或身心障礙者權益保障之相關法律規定且經各目的事業主管機關認定情節重大之情事。
(四) 如有侵害他人權益時，應自行處理並承擔一切法律責任；如因此致數產署涉訟或應對第三人負損害賠償責任，本公司應支付律師服務等因訴訟衍生之一切費用，並負擔最終損害賠償責任。
(五) 就本須知或本服務之相關內容有疑義時，以中華民國法律為準據法，並同意以臺灣臺北地方法院為第一審管轄法院。"""

DECLARATION_EN = """\
1. Intellectual property
(2) The data used on the platform have indeed been obtained lawfully, and all related content used to carry out this project, including charts, text, audio and video (images), hardware and software, program code, data sets and the ideas and concepts produced in carrying out the project, are our own creations or are used lawfully with the authorisation of the intellectual property rights holders, with no unlawful infringement of others' intellectual property rights or personal data.

2. Other matters
(1) We agree to abide by the Guidelines.
(2) We are not a company invested in by mainland Chinese capital (as shown by the shareholding in the Ministry of Economic Affairs' Administration of Commerce company registration public query service, or by the Ministry of Economic Affairs' Department of Investment Review list of mainland Chinese-invested businesses in Taiwan).
(3) In the last 3 years none of the following has occurred:
1. A record of major breach of contract in carrying out a government project, or a suspension imposed for it whose term has not yet ended.
2. A violation of the laws on environmental protection, labour, food safety and sanitation, or the protection of the rights of persons with disabilities that the competent authority has found to be serious.
(4) If we infringe the rights of others, we shall deal with it ourselves and bear all legal liability; if this leads to the Administration for Digital Industries being sued or becoming liable to compensate a third party, the company shall pay all costs arising from the litigation, including lawyers' fees, and bear the final liability for damages.
(5) Any dispute about the Guidelines or this service is governed by the laws of the Republic of China (Taiwan), and we agree that the Taiwan Taipei District Court is the court of first instance."""

DECLARATION_AGREE_ZH = "聲明人已明確了解上述所有聲明與授權內容，並且同意遵守之。"
DECLARATION_AGREE_EN = (
    "The declarant clearly understands all of the above declarations and authorisations and "
    "agrees to abide by them."
)

PLEDGE_ZH = """\
一、申請人保證所附資料均屬正確，並保證不侵犯他人之智慧財產權，否則願負一切責任。
二、申請人已詳細閱讀並同意確實遵守「算力使用者聲明及同意事項」。"""
PLEDGE_EN = """\
1. The applicant warrants that all the information provided is correct and that it does not infringe the intellectual property rights of others, and otherwise accepts full responsibility.
2. The applicant has read carefully and agrees to abide faithfully by the "Compute User Declaration and Consent"."""

PLEDGE_AGREE_ZH = "本公司已明確了解上述所有切結內容，並且同意遵守所有規定"
PLEDGE_AGREE_EN = (
    "The company clearly understands everything pledged above and agrees to abide by all the rules"
)

# The training form's completion page lists (一)–(三); the inference one shows only (一)–(二),
# yet both categories go to the review meeting (04-review.md), so the full list is used.
NEXT_STEPS_ZH = """\
(一) 資格審查
・執行單位對申請企業填寫之線上資料進行資格審查。
・送件資料如有缺漏者，由執行單位通知限期內補件，企業逾期未補件或申請資格經審查不符合者，不予受理。
(二) 專業審查
・算力平台使用申請書審查及評分。
(三) 審查會議
・執行單位統計委員評選結果，由本署召開審查會議，擇優決議通過名單。
・名單經核定後公告。"""
NEXT_STEPS_EN = """\
(1) Eligibility review
・The executor reviews the eligibility of the applicant company from the information filled in online.
・If anything is missing from the application, the executor asks for it to be supplied within a deadline; an application is not accepted if the company does not supply it in time or if it is found ineligible.
(2) Professional review
・The compute platform application is reviewed and scored.
(3) Review meeting
・The executor compiles the reviewers' results and the Administration convenes a review meeting that selects the approved list on merit.
・The list is published once it has been approved."""

ELIGIBILITY_ZH = """\
符合以下行業分類：
依財政部稅籍登記資料公示查詢之營業項目為準
・J582 (軟體出版業)
・J62 (電腦程式設計、諮詢及相關服務業)
・J63 (資訊服務業)
・K6699 (第三方支付服務業)
其中一項數字開頭為J582、J62、J63、K6699即可

(1)國內依法登記成立之獨資、合夥、有限合夥事業或公司。
(2)成立未滿8年之新創業者具優先資格 (依經濟部商業發展署商工登記之核准設立日期須為民國107年1月1日(含)後成立)。

不得為本國設立及外國營利事業在臺設立之分公司。
最近3年內未曾有執行政府計畫之重大違約紀錄。
不得為陸資投資之企業
最近3年內未有嚴重違反環境保護、勞工或食品安全衛生相關法律或身心障礙者權益保障法之相關規定之情事。"""
ELIGIBILITY_EN = """\
Belongs to one of the following industries:
as shown by the registered business items in the Ministry of Finance's public tax registration query
・J582 (Software publishing)
・J62 (Computer programming, consultancy and related activities)
・J63 (Information service activities)
・K6699 (Third-party payment services)
One business item whose code starts with J582, J62, J63 or K6699 is enough.

(1) A sole proprietorship, partnership, limited partnership or company lawfully registered in Taiwan.
(2) Start-ups founded less than 8 years ago have priority (the approval date of establishment in the Ministry of Economic Affairs' Administration of Commerce registration must be on or after 1 January 2018 (ROC year 107)).

Not a branch office set up in Taiwan by a domestic company or by a foreign for-profit enterprise.
No record of major breach of contract in carrying out a government project in the last 3 years.
Not a company invested in by mainland Chinese capital.
No serious violation of the laws on environmental protection, labour or food safety and sanitation, or of the People with Disabilities Rights Protection Act, in the last 3 years."""

# A summary of what an approved company must do, in the document's own words: the user
# obligations of 使用規範 (二), the deliverables of form item 7, (三) of 使用規範, and the
# watch-list warning of the bonus items.
OBLIGATIONS_ZH = """\
算力使用者義務條款：業者同意遵守以下規定
1. 以本平台服務處理、儲存、計算之內容及任何方式使用本平台服務所獲得之電腦計算結果（下稱使用者內容）為使用者所有。使用者同意配合於計畫結束後至少3年配合本署或執行單位計畫成果展示宣導活動及相關成效追蹤管理作業，包含保留操作使用本平台之紀錄檔(system log)備查，提交資料如產品化調查、結案報告、成果簡報等，相關規定如附件申請表說明。
2. 使用者就違反本須知或有違反法規之行為致本平台因第三人主張權利而受有損害時，需負擔損害賠償責任，並支付律師服務等因訴訟衍生之一切費用。
3. 請確實保管帳號及密碼。以適當方式保護、存檔及備份登入憑證及帳號內容。不得銷售、轉傳或逾越本平台核定之專案使用範圍授權第三人登入憑證及帳號鑰匙。
4. 使用者僅得於本平台所允許範圍內使用算力服務及使用本平台之相關資訊。未經本平台同意，使用者不得任意公開本平台內容。

成果繳交：提供結案報告乙式、成果簡報乙式及產品demo影片乙式，並於平台使用到期日後30個日曆天提交；模型訓練類業者，須配合出席產品demo會議。結案報告、成果簡報等將提供公版格式。
核定使用期間屆滿後，本平台將收回算力使用權限，並清除儲存空間。
加分項目同意提供者，於算力平台使用期結束後未上架者，則列入觀察名單。"""
OBLIGATIONS_EN = """\
Compute user obligations: the company agrees to observe the following
1. The content processed, stored or computed with the platform's services, and the computing results obtained from any use of the platform's services (the "user content"), belong to the user. The user agrees, for at least 3 years after the programme ends, to cooperate with the Administration's or the executor's result showcases and promotion activities and with the related follow-up of outcomes, including keeping the system logs of its use of the platform for inspection and submitting material such as a productisation survey, a final report and a results presentation, as described in the attached application form.
2. If the platform suffers damage because a third party asserts rights over the user's breach of the Guidelines or of the law, the user shall compensate the damage and pay all costs arising from the litigation, including lawyers' fees.
3. Keep your account and password safe. Protect, store and back up your login credentials and account content appropriately. Do not sell or pass on login credentials and account keys, or authorise third parties to use them beyond the project scope the platform has approved.
4. The user may use the compute service and information about the platform only as far as the platform allows. The user must not make the platform's content public without the platform's consent.

Deliverables: one final report, one results presentation and one product demo video, submitted within 30 calendar days after the platform's expiry date; model-training companies must also attend the product demo meeting. Templates for the final report and the results presentation will be provided.
When the approved period of use expires, the platform withdraws access to the compute and clears the storage space.
Companies that agreed to the bonus items and have not published on the open platforms when the period of use ends are put on a watch list."""

TEXTS = [
    {
        "key": "terms",
        "title_zh": "申請注意事項及使用規範",
        "title_en": "Notes on applying and usage rules",
        "body_zh": TERMS_ZH,
        "body_en": TERMS_EN,
    },
    {
        "key": "personal_data_notice",
        "title_zh": "蒐集個人資料告知事項",
        "title_en": "Notice on the collection of personal data",
        "body_zh": PERSONAL_DATA_NOTICE_ZH,
        "body_en": PERSONAL_DATA_NOTICE_EN,
    },
    {
        "key": "personal_data_consent",
        "title_zh": "個人資料提供同意書",
        "title_en": "Consent to the provision of personal data",
        "body_zh": PERSONAL_DATA_CONSENT_ZH,
        "body_en": PERSONAL_DATA_CONSENT_EN,
    },
    {
        "key": "declaration",
        "title_zh": "算力使用者聲明及同意事項",
        "title_en": "Compute user declaration and consent",
        "body_zh": DECLARATION_ZH,
        "body_en": DECLARATION_EN,
    },
    {
        "key": "declaration_agree",
        "title_zh": "聲明同意",
        "title_en": "Agreement to the declaration",
        "body_zh": DECLARATION_AGREE_ZH,
        "body_en": DECLARATION_AGREE_EN,
    },
    {
        "key": "pledge",
        "title_zh": "切結書",
        "title_en": "Pledge",
        "body_zh": PLEDGE_ZH,
        "body_en": PLEDGE_EN,
    },
    {
        "key": "pledge_agree",
        "title_zh": "切結同意",
        "title_en": "Agreement to the pledge",
        "body_zh": PLEDGE_AGREE_ZH,
        "body_en": PLEDGE_AGREE_EN,
    },
    {
        "key": "next_steps",
        "title_zh": "後續將進行以下程序",
        "title_en": "What happens next",
        "body_zh": NEXT_STEPS_ZH,
        "body_en": NEXT_STEPS_EN,
    },
    {
        "key": "eligibility",
        "title_zh": "申請資格",
        "title_en": "Who may apply",
        "body_zh": ELIGIBILITY_ZH,
        "body_en": ELIGIBILITY_EN,
    },
    {
        "key": "obligations",
        "title_zh": "使用者義務",
        "title_en": "User obligations",
        "body_zh": OBLIGATIONS_ZH,
        "body_en": OBLIGATIONS_EN,
    },
]

ANNOUNCEMENTS = [
    {
        "title_zh": "115年度算力平台開放申請",
        "title_en": "The 2026 AI compute platform is open for applications",
        # Same assumed announcement date as opens_at.
        "published_on": datetime.date(2026, 5, 1),
        "is_published": True,
        "body_zh": (
            "提供符合資格的 AI 新創團隊及資服業者免費 AI 算力資源，協助業者加速模型訓練、"
            "推論驗證與應用落地，讓創新想法更快化為市場競爭力。\n"
            "申請時間：自公告日起至115年10月30日23:59截止，採隨到批次審，通過後可獲得 3 個月"
            "免費算力使用權限。\n"
            "收件方式：全程採線上申請（https://aipower.dginfra.gov.tw），須使用工商憑證卡登入，"
            "恕不受理紙本送件。\n"
            "輔導措施：可參與本署舉辦的技術說明會、不定期技術教育訓練。\n"
            "潛力新創：可優先銜接「加強投資AI新創實施方案」之募資輔導、諮詢評估及募資媒合等服務。"
        ),
        "body_en": (
            "Eligible AI start-ups and IT-service companies get free AI compute to speed up "
            "model training, inference validation and deployment, so that innovative ideas "
            "become market competitiveness sooner.\n"
            "When: from the announcement date until 30 October 2026, 23:59; applications are "
            "reviewed in batches as they arrive, and approved companies get 3 months of free "
            "compute.\n"
            "How: online only (https://aipower.dginfra.gov.tw), signing in with a business "
            "certificate card (工商憑證); paper applications are not accepted.\n"
            "Support: technical briefings and occasional technical training held by the "
            "Administration.\n"
            "Promising start-ups: priority access to the fundraising coaching, advisory "
            "assessment and investor matching of the Programme for Strengthening Investment in "
            "AI Start-ups."
        ),
    },
    {
        "title_zh": "最新模型：新增 Gemma 4 及 Magistral 等多種模型",
        "title_en": "New models: Gemma 4, Magistral and more",
        "published_on": datetime.date(2026, 5, 1),
        "is_published": True,
        "body_zh": (
            "新增 Gemma 4 及 Magistral 等多種模型。\n"
            "模型清單請見申請書「使用模型及資源需求」及「使用模型需求」，"
            "主辦單位保有最終上架之模型決定權，並保有最終解釋權。"
        ),
        "body_en": (
            "Gemma 4, Magistral and many other models have been added.\n"
            'See the model lists under "Models used and resource needs" and "Models '
            'needed" in the application form; the organiser has the final say on which models '
            "are offered and the final interpretation."
        ),
    },
]

# Notes of the programme document on the application form's pages (page, section).
FORM_NOTES = [
    {
        "page": "training-1",
        "section": "3",
        "body_zh": "請填寫完整資訊",
        "body_en": "Please give complete information.",
    },
    {
        "page": "training-2",
        "section": "6",
        "body_zh": "訓練資料集請填寫完整",
        "body_en": "Please describe the training data set completely.",
    },
    {
        "page": "training-3",
        "section": "7",
        "body_zh": "模型訓練類業者，須配合出席產品demo會議。結案報告、成果簡報等將提供公版格式。",
        "body_en": (
            "Training-category companies must attend the product demo meeting. Templates for "
            "the final report and the results presentation will be provided."
        ),
    },
    {
        "page": "inference-3",
        "section": "7",
        "body_zh": "結案報告、成果簡報等將提供公版格式。",
        "body_en": "Templates for the final report and the results presentation will be provided.",
    },
    {
        "page": "inference-4",
        "section": "8",
        "body_zh": "115年重點新增，請填寫完整",
        "body_en": "New and important in 115: please fill this in completely.",
    },
]
