"""The notices the system mails, with their default texts and the variables each one gets.

One entry per notice kind (the key of its ``core.NotificationTemplate``): a description, the
zh-Hant and English subject, the zh-Hant and English body (Django template syntax, plain
text). ``seed_templates`` copies these defaults into the store once; after that the operator
edits them in the admin (通知範本) and the code only reads the store. The defaults of the
applicant's notices outside the review reproduce the file templates they replaced.
"""

# key: (description, (subject zh-Hant, subject English), (body zh-Hant, body English)).
DEFAULT_TEMPLATES = {
    # --- the review (sent in zh-Hant, review.notifications) ---
    "supplement_requested": (
        "補件通知",
        (
            "【AI算力平台】申請案 {{ number }} 補件通知",
            "[AI Compute Platform] Application {{ number }}: please supplement",
        ),
        (
            "{{ company }} 您好：\n\n"
            "貴公司申請案 {{ number }}（{{ category }}）經資格審查，需補正下列資料：\n\n"
            "{{ reason }}\n\n"
            "需補正之頁面：{{ steps }}\n\n"
            "請於 {{ deadline }} 前登入申請系統，於「申請案狀態」頁面依說明補正後重新送出。"
            "逾期未補正者，依規定不予受理。\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }} 或申請諮詢專線 {{ service_phone }}。\n",
            "Dear {{ company }},\n\n"
            "The eligibility review of application {{ number }} ({{ category }}) needs more "
            "information:\n\n{{ reason }}\n\n"
            "Pages to correct: {{ steps }}\n\n"
            "Please sign in before {{ deadline }}, correct the named parts on the status page "
            "and submit again. Applications not supplemented in time are not accepted.\n\n"
            "For questions, write to {{ service_email }} or call {{ service_phone }}.\n",
        ),
    ),
    "supplement_reminder": (
        "補件期限將屆提醒",
        (
            "【AI算力平台】申請案 {{ number }} 補件期限將屆",
            "[AI Compute Platform] Application {{ number }}: supplement due soon",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 之補件期限為 {{ deadline }}，"
            "尚未收到補正資料。逾期未補正者，依規定不予受理。\n",
            "Dear {{ company }},\n\nThe supplement for application {{ number }} is due "
            "{{ deadline }} and has not been received yet. Applications not supplemented in "
            "time are not accepted.\n",
        ),
    ),
    "supplement_received": (
        "補件收執",
        (
            "【AI算力平台】申請案 {{ number }} 已收到補件",
            "[AI Compute Platform] Application {{ number }}: supplement received",
        ),
        (
            "{{ company }} 您好：\n\n已收到貴公司申請案 {{ number }} 之補正資料，"
            "執行單位將繼續進行資格審查。\n",
            "Dear {{ company }},\n\nWe received the supplement for application {{ number }}; "
            "the eligibility review continues.\n",
        ),
    ),
    "not_accepted": (
        "不予受理通知",
        (
            "【AI算力平台】申請案 {{ number }} 不予受理",
            "[AI Compute Platform] Application {{ number }} not accepted",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 未於補件期限 {{ deadline }} 前"
            "補正資料，依規定不予受理。\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }} 或申請諮詢專線 {{ service_phone }}。\n",
            "Dear {{ company }},\n\nApplication {{ number }} was not supplemented by "
            "{{ deadline }} and is therefore not accepted.\n\n"
            "For questions, write to {{ service_email }} or call {{ service_phone }}.\n",
        ),
    ),
    "ineligible": (
        "資格不符通知",
        (
            "【AI算力平台】申請案 {{ number }} 資格審查結果",
            "[AI Compute Platform] Application {{ number }}: eligibility review",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 經資格審查，不符合申請資格，"
            "依規定不予受理，理由如下：\n\n{{ reason }}\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }} 或申請諮詢專線 {{ service_phone }}。\n",
            "Dear {{ company }},\n\nApplication {{ number }} does not meet the eligibility "
            "requirements and is therefore not accepted:\n\n{{ reason }}\n\n"
            "For questions, write to {{ service_email }} or call {{ service_phone }}.\n",
        ),
    ),
    "approved": (
        "核定通過通知",
        (
            "【AI算力平台】申請案 {{ number }} 核定通過",
            "[AI Compute Platform] Application {{ number }} approved",
        ),
        (
            "{{ company }} 您好：\n\n恭喜！貴公司申請案 {{ number }}（{{ category }}）經審查會議"
            "審議及主辦單位核定，核定級別 {{ tier }}，核發點數 {{ points }} 點，"
            "使用期間 {{ starts_on }} 至 {{ ends_on }}。\n\n請登入申請系統查看核定內容。\n",
            "Dear {{ company }},\n\nCongratulations! Application {{ number }} ({{ category }}) "
            "is approved at tier {{ tier }} with {{ points }} points, usable from {{ starts_on }} "
            "to {{ ends_on }}.\n\nPlease sign in to see the award.\n",
        ),
    ),
    "not_approved": (
        "未獲核定通知",
        (
            "【AI算力平台】申請案 {{ number }} 審查結果",
            "[AI Compute Platform] Application {{ number }}: review result",
        ),
        (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 經審查會議審議，未獲核定。"
            "\n\n{{ reason }}\n\n感謝您的參與。\n",
            "Dear {{ company }},\n\nApplication {{ number }} was not approved by the review "
            "meeting.\n\n{{ reason }}\n\nThank you for taking part.\n",
        ),
    ),
    "reviewer_assigned": (
        "審查指派通知（委員）",
        ("【AI算力平台】審查案件指派通知", "[AI Compute Platform] An application assigned to you"),
        (
            "{{ reviewer }} 委員您好：\n\n執行單位已指派申請案 {{ number }} 請您審查。"
            "請登入工作人員系統，先聲明利益迴避，再進行評分。\n",
            "Dear {{ reviewer }},\n\nApplication {{ number }} has been assigned to you. Please "
            "sign in, declare any conflict of interest, then score it.\n",
        ),
    ),
    "reviewer_reminder": (
        "審查提醒（委員）",
        ("【AI算力平台】審查評分提醒", "[AI Compute Platform] Reminder: scores due"),
        (
            "{{ reviewer }} 委員您好：\n\n您於{{ batch }}尚有 {{ pending }} 件審查案件"
            "未送出評分，請於審查會議（{{ review_date }}）前完成。\n",
            "Dear {{ reviewer }},\n\n{{ pending }} of your assigned applications in {{ batch }} "
            "still wait for your scores; please submit them before the review meeting on "
            "{{ review_date }}.\n",
        ),
    ),
    "reviewer_scores_reopened": (
        "評分開放修改通知（委員）",
        (
            "【AI算力平台】評分已開放修改：{{ number }}",
            "[AI Compute Platform] Your scores for {{ number }} are open again",
        ),
        (
            "{{ reviewer }} 委員您好：\n\n執行單位已開放您對申請案 {{ number }} 已送出之評分，"
            "請登入工作人員系統修改後再次送出。\n\n開放修改理由：{{ reason }}\n",
            "Dear {{ reviewer }},\n\nThe operator has reopened the scores you submitted for "
            "application {{ number }}. Please sign in, revise them and submit them again."
            "\n\nReason: {{ reason }}\n",
        ),
    ),
    # --- the applicant's notices after the review (zh-Hant, then English) ---
    "application_submitted": (
        "申請送出收執",
        (
            "【AI算力平台】申請已送出：{{ number }}",
            "[AI Compute Platform] Application submitted: {{ number }}",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "您的算力平台使用申請已送出，內容如下：\n"
                "\n"
                "申請編號：{{ number }}\n"
                "申請企業：{{ company }}（{{ ubn }}）\n"
                "申請類別：{{ category }}\n"
                "送出時間：{{ submitted_at }}（臺北時間）\n"
                "審查梯次：第{{ batch }}梯次（預計審查日 {{ review_date }}）\n"
                "內容指紋：{{ fingerprint }}\n"
                "\n"
                "內容指紋（SHA-256）可用來確認送出的申請內容未被更動。審查梯次截止收件前，您仍可登"
                "入系統「檢視或更新申請表」。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                "Your compute platform application has been submitted:\n"
                "\n"
                "Application number: {{ number }}\n"
                "Applicant company: {{ company }} ({{ ubn }})\n"
                "Application category: {{ category }}\n"
                "Submitted at: {{ submitted_at }} (Taipei time)\n"
                "Review batch: Batch {{ batch }} (planned review date {{ review_date }})\n"
                "Content fingerprint: {{ fingerprint }}\n"
                "\n"
                "The content fingerprint (SHA-256) lets you confirm that the submitted application "
                "has not been altered. Until the review batch closes you can still sign in and "
                "“View or update the application”.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "award_started": (
        "使用期間開始通知",
        (
            "【AI算力平台】算力使用期間已開始",
            "[AI Compute Platform] Your compute period has started",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的免費使用期間自 {{ starts_on }} 起至 {{ ends_on }} "
                "止，即日起可使用算力服務：API 金鑰及叢集帳號已可使用。\n"
                "\n"
                "核發點數：{{ granted }}\n"
                "已使用點數：{{ used }}\n"
                "剩餘點數：{{ left }}\n"
                "使用期間迄：{{ ends_on }}\n"
                "\n"
                "使用情形請登入系統查詢「算力點數使用情形」。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your company\'s free period for "{{ category }}" runs from {{ starts_on }} to {{ '
                "ends_on }} and has started: your API keys and cluster account can be used from "
                "today.\n"
                "\n"
                "Points granted: {{ granted }}\n"
                "Points used: {{ used }}\n"
                "Points left: {{ left }}\n"
                "Period ends: {{ ends_on }}\n"
                "\n"
                'Sign in to the system and open "Compute points usage" for details.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "points_used_80": (
        "算力點數已使用 80%",
        (
            "【AI算力平台】算力點數已使用 {{ percent }}%",
            "[AI Compute Platform] {{ percent }}% of compute points used",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的算力點數已使用 {{ percent "
                "}}%。點數用罄時服務即提前終止。\n"
                "\n"
                "核發點數：{{ granted }}\n"
                "已使用點數：{{ used }}\n"
                "剩餘點數：{{ left }}\n"
                "使用期間迄：{{ ends_on }}\n"
                "\n"
                "使用情形請登入系統查詢「算力點數使用情形」。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your company has used {{ percent }}% of its compute points for "{{ category '
                '}}". When the points run out, the service ends early.\n'
                "\n"
                "Points granted: {{ granted }}\n"
                "Points used: {{ used }}\n"
                "Points left: {{ left }}\n"
                "Period ends: {{ ends_on }}\n"
                "\n"
                'Sign in to the system and open "Compute points usage" for details.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "points_used_100": (
        "算力點數已用罄",
        (
            "【AI算力平台】算力點數已用罄，服務終止",
            "[AI Compute Platform] Compute points used up; service ended",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的算力點數已全數使用，服務已終止：API "
                "金鑰停止運作，叢集帳號停止排程。\n"
                "\n"
                "依計畫規定，提前使用完畢視同服務結束：請於使用期間屆滿（{{ ends_on }}）後 "
                "{{ deliverables_days }} 個日曆天內繳交結案報告、成果簡報及產品demo影片，"
                "請登入系統，於「成果繳交」頁面上傳檔案或提供連結。\n"
                "\n"
                "核發點數：{{ granted }}\n"
                "已使用點數：{{ used }}\n"
                "剩餘點數：{{ left }}\n"
                "使用期間迄：{{ ends_on }}\n"
                "\n"
                "使用情形請登入系統查詢「算力點數使用情形」。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your company has used all of its compute points for "{{ category }}" and the '
                "service has ended: API keys stop working and the cluster account stops "
                "scheduling.\n"
                "\n"
                "Under the programme's rules, points used up early count as the end of the "
                "service: please submit the final report, the results presentation and the "
                "product demo video within {{ deliverables_days }} calendar days after the period "
                'ends ({{ ends_on }}); sign in and upload them or give links on the "Deliverables" '
                "page.\n"
                "\n"
                "Points granted: {{ granted }}\n"
                "Points used: {{ used }}\n"
                "Points left: {{ left }}\n"
                "Period ends: {{ ends_on }}\n"
                "\n"
                'Sign in to the system and open "Compute points usage" for details.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "expiry_soon": (
        "使用期間即將屆滿",
        (
            "【AI算力平台】使用期間將於 {{ ends_on }} 屆滿",
            "[AI Compute Platform] Your period ends on {{ ends_on }}",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的免費使用期間將於 {{ ends_on }} 屆滿（剩餘 {{ days_left "
                "}} 天）。屆滿時未使用的點數即失效，服務終止。\n"
                "\n"
                "核發點數：{{ granted }}\n"
                "已使用點數：{{ used }}\n"
                "剩餘點數：{{ left }}\n"
                "使用期間迄：{{ ends_on }}\n"
                "\n"
                "使用情形請登入系統查詢「算力點數使用情形」。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your company\'s free period for "{{ category }}" ends on {{ ends_on }} ({{ '
                "days_left }} day{{ days_left|pluralize }} left). Points unused at the end are "
                "forfeited and the service ends.\n"
                "\n"
                "Points granted: {{ granted }}\n"
                "Points used: {{ used }}\n"
                "Points left: {{ left }}\n"
                "Period ends: {{ ends_on }}\n"
                "\n"
                'Sign in to the system and open "Compute points usage" for details.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "expired": (
        "使用期間已屆滿",
        (
            "【AI算力平台】使用期間已屆滿，服務終止",
            "[AI Compute Platform] Period over; service ended",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的免費使用期間已於 {{ ends_on }} "
                "屆滿，服務已終止，未使用的點數已失效。\n"
                "\n"
                "請於屆滿後 {{ deliverables_days }} "
                "個日曆天內繳交結案報告、成果簡報及產品demo影片。\n"
                "\n"
                "核發點數：{{ granted }}\n"
                "已使用點數：{{ used }}\n"
                "剩餘點數：{{ left }}\n"
                "使用期間迄：{{ ends_on }}\n"
                "\n"
                "使用情形請登入系統查詢「算力點數使用情形」。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your company\'s free period for "{{ category }}" ended on {{ ends_on }}; the '
                "service has ended and unused points are forfeited.\n"
                "\n"
                "Please submit the final report, the results presentation and the product demo "
                "video within {{ deliverables_days }} calendar days after the end of the period.\n"
                "\n"
                "Points granted: {{ granted }}\n"
                "Points used: {{ used }}\n"
                "Points left: {{ left }}\n"
                "Period ends: {{ ends_on }}\n"
                "\n"
                'Sign in to the system and open "Compute points usage" for details.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "inactivity": (
        "算力未使用通知",
        (
            "【AI算力平台】算力未使用通知",
            "[AI Compute Platform] Compute not used",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的算力已有 {{ idle_weeks }} 週未使用，超過核定使用期間 {{ "
                "period_weeks }} 週之半數（過半週數）。\n"
                "\n"
                "依使用規範第 6 點，請於 {{ respond_by }} 前繼續使用算力；通知隔日起算 3 "
                "個日曆天內若無使用算力之行為，即構成違規，本平台得暫停現有服務或停權下次申請資格乙"
                "次。\n"
                "\n"
                "如有疑問，請洽申請客服信箱 {{ service_email }} "
                "或申請諮詢專線 {{ service_phone }}。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                "Your {{ category }} compute has not been used for {{ idle_weeks }} weeks, more "
                "than half of the {{ period_weeks }} weeks of the approved period.\n"
                "\n"
                "Under usage rule 6, please resume using the compute by {{ respond_by }}: no use "
                "within 3 calendar days from the day after this notice is a violation, for which "
                "the platform may suspend the current service or bar you from the next application "
                "once.\n"
                "\n"
                "For questions, write to {{ service_email }} or call {{ service_phone }}.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "violation": (
        "違反使用規範處分通知",
        (
            "【AI算力平台】違反使用規範處分通知：{{ sanction }}",
            "[AI Compute Platform] Violation of the usage rules: {{ sanction }}",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」於 {{ occurred_on }} 違反使用規範第 {{ rule }} 點：\n"
                "{{ rule_text }}\n"
                "\n"
                '本平台處分如下：{{ sanction }}。{% if sanction_code == "suspend" %}\n'
                "API 金鑰及叢集帳號已暫停使用，恢復前將另行通知。{% elif sanction_code == "
                '"terminate" %}\n'
                "算力服務已終止：API 金鑰停止運作，叢集帳號停止排程。{% elif sanction_code == "
                '"bar" %}\n'
                "停權期間至 {{ bar_until }}，期間內不得申請。{% endif %}\n"
                "\n"
                "累計違規兩次者，列為情節重大；情節重大或急迫者，本平台得終止或解除算力服務。\n"
                "\n"
                "如有疑問，請洽申請客服信箱 {{ service_email }} "
                "或申請諮詢專線 {{ service_phone }}。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                "On {{ occurred_on }} your {{ category }} service violated usage rule {{ rule }}:\n"
                "{{ rule_text }}\n"
                "\n"
                'The platform\'s decision: {{ sanction }}.{% if sanction_code == "suspend" %}\n'
                "Your API keys and cluster account are suspended; you will be told when they are "
                'reinstated.{% elif sanction_code == "terminate" %}\n'
                "The compute service has ended: API keys stop working and the cluster account "
                'stops scheduling.{% elif sanction_code == "bar" %}\n'
                "You may not apply until {{ bar_until }}.{% endif %}\n"
                "\n"
                "Two violations in total are serious; in a serious or urgent case the platform may "
                "terminate the compute service.\n"
                "\n"
                "For questions, write to {{ service_email }} or call {{ service_phone }}.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "reinstated": (
        "算力服務恢復通知",
        (
            "【AI算力平台】算力服務已恢復",
            "[AI Compute Platform] Compute service reinstated",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」因違反使用規範第 {{ rule }} "
                "點而暫停之算力服務，已恢復使用：API 金鑰及叢集帳號即日起可再使用。\n"
                "\n"
                "累計違規兩次者，列為情節重大；情節重大或急迫者，本平台得終止或解除算力服務。\n"
                "\n"
                "如有疑問，請洽申請客服信箱 {{ service_email }} "
                "或申請諮詢專線 {{ service_phone }}。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                "Your {{ category }} compute service, suspended for violating usage rule {{ rule "
                "}}, is reinstated: your API keys and cluster account work again from today.\n"
                "\n"
                "Two violations in total are serious; in a serious or urgent case the platform may "
                "terminate the compute service.\n"
                "\n"
                "For questions, write to {{ service_email }} or call {{ service_phone }}.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "deliverables_due": (
        "成果繳交期限將屆提醒",
        (
            "【AI算力平台】請於 {{ due_on }} 前繳交成果",
            "[AI Compute Platform] Deliverables due by {{ due_on }}",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的成果繳交期限為 {{ due_on }}（剩餘 {{ days_left }} "
                "天），下列成果尚未繳交：\n"
                "{% for label in missing %}- {{ label }}\n"
                "{% endfor %}\n"
                "依計畫規定，結案報告、成果簡報及產品demo影片應於平台使用到期日後 {{ "
                "deliverables_days }} 個日曆天內提交。{% if training %}\n"
                "模型訓練類業者另須配合出席產品demo會議。{% endif %}\n"
                "\n"
                "請登入系統，於「成果繳交」頁面上傳檔案或提供連結。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your deliverables of "{{ category }}" are due on {{ due_on }} ({{ days_left }} '
                "day{{ days_left|pluralize }} left). The following are still missing:\n"
                "{% for label in missing %}- {{ label }}\n"
                "{% endfor %}\n"
                "Under the programme's rules, the final report, results presentation and product "
                "demo video are due within {{ deliverables_days }} calendar days after the "
                "platform's expiry date.{% if training %}\n"
                "Model-training companies also attend the product demo meeting.{% endif %}\n"
                "\n"
                'Please sign in and upload the files or give links on the "Deliverables" page.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "deliverables_overdue": (
        "成果繳交逾期通知",
        (
            "【AI算力平台】成果繳交已逾期，請儘速繳交",
            "[AI Compute Platform] Deliverables overdue: please submit them",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」的免費使用期間已於 {{ ends_on }} 屆滿，成果繳交期限 {{ "
                "due_on }} 已過，下列成果尚未繳交，請儘速登入系統繳交：\n"
                "{% for label in missing %}- {{ label }}\n"
                "{% endfor %}\n"
                "依計畫規定，結案報告、成果簡報及產品demo影片應於平台使用到期日後 {{ "
                "deliverables_days }} 個日曆天內提交。{% if training %}\n"
                "模型訓練類業者另須配合出席產品demo會議。{% endif %}\n"
                "\n"
                "請登入系統，於「成果繳交」頁面上傳檔案或提供連結。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'Your free period of use of "{{ category }}" ended on {{ ends_on }} and the '
                "deliverables were due on {{ due_on }}. The following are still missing; please "
                "sign in and submit them as soon as possible:\n"
                "{% for label in missing %}- {{ label }}\n"
                "{% endfor %}\n"
                "Under the programme's rules, the final report, results presentation and product "
                "demo video are due within {{ deliverables_days }} calendar days after the "
                "platform's expiry date.{% if training %}\n"
                "Model-training companies also attend the product demo meeting.{% endif %}\n"
                "\n"
                'Please sign in and upload the files or give links on the "Deliverables" page.\n'
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "privacy_completed": (
        "個人資料請求處理完成",
        (
            "【AI算力平台】個人資料請求處理結果：{{ state }}（{{ reference }}）",
            "[AI Compute Platform] Your personal data request: {{ state }} ({{ reference }})",
        ),
        (
            (
                "{{ name }} 您好：\n"
                "\n"
                "您於 {{ filed_on }} 經「{{ company }}」提出之個人資料請求（編號 {{ reference "
                "}}，請求事項：{{ kind }}），處理結果為「{{ state }}」。\n"
                "\n"
                "處理結果說明：\n"
                "{{ outcome }}\n"
                "\n"
                "如有疑問，請洽申請客服信箱 {{ service_email }} "
                "或申請諮詢專線 {{ service_phone }}。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ name }},\n"
                "\n"
                "Your personal data request filed through {{ company }} on {{ filed_on }} "
                "(reference {{ reference }}, request: {{ kind }}) is now: {{ state }}.\n"
                "\n"
                "Outcome:\n"
                "{{ outcome }}\n"
                "\n"
                "For questions, write to {{ service_email }} or call {{ service_phone }}.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "privacy_refused": (
        "個人資料請求不予受理",
        (
            "【AI算力平台】個人資料請求處理結果：{{ state }}（{{ reference }}）",
            "[AI Compute Platform] Your personal data request: {{ state }} ({{ reference }})",
        ),
        (
            (
                "{{ name }} 您好：\n"
                "\n"
                "您於 {{ filed_on }} 經「{{ company }}」提出之個人資料請求（編號 {{ reference "
                "}}，請求事項：{{ kind }}），處理結果為「{{ state }}」。\n"
                "\n"
                "不予受理之理由：\n"
                "{{ outcome }}\n"
                "\n"
                "如有疑問，請洽申請客服信箱 {{ service_email }} "
                "或申請諮詢專線 {{ service_phone }}。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ name }},\n"
                "\n"
                "Your personal data request filed through {{ company }} on {{ filed_on }} "
                "(reference {{ reference }}, request: {{ kind }}) is now: {{ state }}.\n"
                "\n"
                "Reason for refusal:\n"
                "{{ outcome }}\n"
                "\n"
                "For questions, write to {{ service_email }} or call {{ service_phone }}.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
}

_REVIEW = ("call", "number", "company", "category", "service_email", "service_phone")
_GRANTS = (
    "company",
    "category",
    "granted",
    "used",
    "left",
    "percent",
    "starts_on",
    "ends_on",
    "days_left",
    "deliverables_days",
)
_VIOLATION = (
    "company",
    "category",
    "rule",
    "rule_text",
    "sanction",
    "sanction_code",
    "occurred_on",
    "bar_until",
    "service_email",
    "service_phone",
)
_DELIVERABLES = (
    "company",
    "category",
    "ends_on",
    "due_on",
    "days_left",
    "deliverables_days",
    "missing",
    "training",
)
_PRIVACY = (
    "name",
    "company",
    "reference",
    "kind",
    "state",
    "outcome",
    "filed_on",
    "service_email",
    "service_phone",
)

# key: the variables the code puts in the template's context (nothing else may be used).
VARIABLES = {
    "supplement_requested": (*_REVIEW, "reason", "deadline", "steps"),
    "supplement_reminder": (*_REVIEW, "deadline"),
    "supplement_received": (*_REVIEW, "reason"),
    "not_accepted": (*_REVIEW, "reason", "deadline"),
    "ineligible": (*_REVIEW, "reason"),
    "approved": (*_REVIEW, "reason", "tier", "points", "starts_on", "ends_on"),
    "not_approved": (*_REVIEW, "reason"),
    "reviewer_assigned": ("reviewer", "call", "number"),
    "reviewer_reminder": ("reviewer", "call", "pending", "batch", "review_date"),
    "reviewer_scores_reopened": ("reviewer", "call", "number", "reason"),
    "application_submitted": (
        "number",
        "company",
        "ubn",
        "category",
        "submitted_at",
        "batch",
        "review_date",
        "fingerprint",
    ),
    "award_started": _GRANTS,
    "points_used_80": _GRANTS,
    "points_used_100": _GRANTS,
    "expiry_soon": _GRANTS,
    "expired": _GRANTS,
    "inactivity": (
        "company",
        "category",
        "idle_weeks",
        "period_weeks",
        "respond_by",
        "service_email",
        "service_phone",
    ),
    "violation": _VIOLATION,
    "reinstated": _VIOLATION,
    "deliverables_due": _DELIVERABLES,
    "deliverables_overdue": _DELIVERABLES,
    "privacy_completed": _PRIVACY,
    "privacy_refused": _PRIVACY,
}
