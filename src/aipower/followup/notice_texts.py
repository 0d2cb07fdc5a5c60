"""The default texts of the survey's two notices, in the format of ``core.notice_texts``.

``followup_due`` (a reminder before the round's due date) and ``followup_overdue`` (once the due
date has passed without a submission). They live in the one operator-editable store
(``core.NotificationTemplate``, 通知範本): ``FollowupConfig.ready`` registers them with
``core.notices`` (seeded and variable-checked like every notice, and seeded on first use);
its migration adds them with ``ensure_templates``, never overwriting what the operator edited.
"""

_FOOTER_ZH = (
    "\n"
    "依使用規範，使用者同意於計畫結束後至少3年配合本署或執行單位成效追蹤管理作業，"
    "提交資料如產品化調查、結案報告、成果簡報等。\n"
    "\n"
)
_FOOTER_EN = (
    "\n"
    "Under the usage rules, users cooperate for at least 3 years after the programme with the "
    "follow-up of outcomes, submitting a productisation survey, the final report, the results "
    "presentation and so on.\n"
    "\n"
)

# key: (description, (subject zh-Hant, subject English), (body zh-Hant, body English)).
DEFAULT_TEMPLATES = {
    "followup_due": (
        "產品化調查填報期限將屆提醒",
        (
            "【AI算力平台】請於 {{ due_on }} 前填報「{{ title }}」",
            "[AI Compute Platform] Please answer the productisation survey by {{ due_on }}",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」核定案應填報之「{{ title }}」，填報期限為 {{ due_on }}"
                "（剩餘 {{ days_left }} 天），目前尚未送出。\n"
                f"{_FOOTER_ZH}"
                "請登入系統，於「申請案狀態」頁面點選「前往填報產品化調查」填報；"
                "可先儲存草稿，送出後於期限內仍可更新。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'The productisation survey "{{ title }}" for your "{{ category }}" award is due '
                "on {{ due_on }} ({{ days_left }} day{{ days_left|pluralize }} left) and has not "
                "been submitted yet.\n"
                f"{_FOOTER_EN}"
                'Please sign in and follow "Answer the productisation survey" on the application '
                "status page; you may save a draft first, and update your answers until the due "
                "date after submitting.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
    "followup_overdue": (
        "產品化調查逾期未填報通知",
        (
            "【AI算力平台】「{{ title }}」已逾期未填報",
            "[AI Compute Platform] Productisation survey overdue",
        ),
        (
            (
                "{{ company }} 您好：\n"
                "\n"
                "貴公司「{{ category }}」核定案應填報之「{{ title }}」，填報期限 {{ due_on }} "
                "已過，系統尚未收到貴公司填報。\n"
                f"{_FOOTER_ZH}"
                "請儘速與執行單位聯繫（申請客服信箱 {{ service_email }}，申請諮詢專線 "
                "{{ service_phone }}），以完成填報。\n"
                "\n"
                "本郵件由系統自動發送，請勿直接回覆。\n"
            ),
            (
                "Dear {{ company }},\n"
                "\n"
                'The productisation survey "{{ title }}" for your "{{ category }}" award was due '
                "on {{ due_on }} and we have not received your answers.\n"
                f"{_FOOTER_EN}"
                "Please contact the operator as soon as possible ({{ service_email }}, "
                "{{ service_phone }}) to complete the survey.\n"
                "\n"
                "This e-mail was sent automatically; please do not reply to it.\n"
            ),
        ),
    ),
}

_FOLLOWUP = (
    "company",
    "category",
    "title",
    "opens_on",
    "due_on",
    "days_left",
    "service_email",
    "service_phone",
)

# key: the variables the code puts in the template's context (nothing else may be used).
VARIABLES = {
    "followup_due": _FOLLOWUP,
    "followup_overdue": _FOLLOWUP,
}


def ensure_templates(model=None):
    """Add the survey's templates to the store where missing (edited ones are kept); its
    migration calls this with the historical model."""
    from aipower.core.notices import seed_templates

    return seed_templates(model, DEFAULT_TEMPLATES)
