"""Migration core 0008: stored review notices still holding the old default wording get the
platform's name in their subjects, the supplement's page list, a single 不予受理 reason, the
ineligible notice's 不予受理 and the reminder's batch and meeting date; edited text is kept."""

import importlib

import pytest
from django.apps import apps

from aipower.core.models import NotificationTemplate
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.notices import seed_templates

pytestmark = pytest.mark.integration

migration = importlib.import_module("aipower.core.migrations.0008_review_notices_wording")

# The defaults before this change, as stored copies hold them.
OLD = {
    "supplement_requested": {
        "subject_zh": "【{{ call }}】申請案 {{ number }} 補件通知",
        "subject_en": "[{{ call }}] Application {{ number }}: please supplement",
        "body_zh": (
            "{{ company }} 您好：\n\n"
            "貴公司申請案 {{ number }}（{{ category }}）經資格審查，需補正下列資料：\n\n"
            "{{ reason }}\n\n"
            "請於 {{ deadline }} 前登入申請系統，於「申請案狀態」頁面依說明補正後重新送出。"
            "逾期未補正者，依規定不予受理。\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }}。\n"
        ),
        "body_en": (
            "Dear {{ company }},\n\n"
            "The eligibility review of application {{ number }} ({{ category }}) needs more "
            "information:\n\n{{ reason }}\n\n"
            "Please sign in before {{ deadline }}, correct the named parts on the status page "
            "and submit again. Applications not supplemented in time are not accepted.\n\n"
            "Questions: {{ service_email }}.\n"
        ),
    },
    "not_accepted": {
        "subject_zh": "【{{ call }}】申請案 {{ number }} 不予受理",
        "subject_en": "[{{ call }}] Application {{ number }} not accepted",
        "body_zh": (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 未於補件期限 {{ deadline }} 前"
            "補正資料，依規定不予受理。\n\n{{ reason }}\n\n"
            "如有疑問，請洽申請客服信箱 {{ service_email }}。\n"
        ),
        "body_en": (
            "Dear {{ company }},\n\nApplication {{ number }} was not supplemented by "
            "{{ deadline }} and is therefore not accepted.\n\n{{ reason }}\n\n"
            "Questions: {{ service_email }}.\n"
        ),
    },
    "ineligible": {
        "subject_zh": "【{{ call }}】申請案 {{ number }} 資格審查結果",
        "subject_en": "[{{ call }}] Application {{ number }}: eligibility review",
        "body_zh": (
            "{{ company }} 您好：\n\n貴公司申請案 {{ number }} 經資格審查，不符合申請資格，"
            "理由如下：\n\n{{ reason }}\n\n如有疑問，請洽申請客服信箱 {{ service_email }}。\n"
        ),
        "body_en": (
            "Dear {{ company }},\n\nApplication {{ number }} does not meet the eligibility "
            "requirements:\n\n{{ reason }}\n\nQuestions: {{ service_email }}.\n"
        ),
    },
    "reviewer_reminder": {
        "subject_zh": "【{{ call }}】審查評分提醒",
        "subject_en": "[{{ call }}] Reminder: scores due",
        "body_zh": (
            "{{ reviewer }} 委員您好：\n\n您尚有 {{ pending }} 件審查案件未送出評分，"
            "請於審查會議前完成。\n"
        ),
        "body_en": (
            "Dear {{ reviewer }},\n\n{{ pending }} of your assigned applications still wait "
            "for your scores; please submit them before the review meeting.\n"
        ),
    },
}


def store_old_defaults():
    seed_templates()  # what the earlier migrations left (the test database may start empty)
    for key, fields in OLD.items():
        NotificationTemplate.objects.filter(key=key).update(**fields)
    NotificationTemplate.objects.filter(key="approved").update(
        subject_zh="【{{ call }}】申請案 {{ number }} 核定通過",
        subject_en="[{{ call }}] Application {{ number }} approved",
    )


def test_old_defaults_become_the_new_defaults(db):
    store_old_defaults()

    migration.forwards(apps, None)

    for key in (*OLD, "approved"):
        template = NotificationTemplate.objects.get(key=key)
        subject = DEFAULT_TEMPLATES[key][1]
        assert (template.subject_zh, template.subject_en) == subject, key
    reminder = NotificationTemplate.objects.get(key="reviewer_reminder")
    assert (reminder.body_zh, reminder.body_en) == DEFAULT_TEMPLATES["reviewer_reminder"][2]
    supplement = NotificationTemplate.objects.get(key="supplement_requested")
    assert "需補正之頁面：{{ steps }}\n\n請於" in supplement.body_zh
    assert "Pages to correct: {{ steps }}\n\nPlease sign in" in supplement.body_en
    not_accepted = NotificationTemplate.objects.get(key="not_accepted")
    assert "{{ reason }}" not in not_accepted.body_zh + not_accepted.body_en
    ineligible = NotificationTemplate.objects.get(key="ineligible")
    assert "不符合申請資格，依規定不予受理，理由如下：" in ineligible.body_zh
    assert "requirements and is therefore not accepted:" in ineligible.body_en


def test_text_the_operator_changed_is_kept(db):
    store_old_defaults()
    NotificationTemplate.objects.filter(key="ineligible").update(
        subject_zh="資格審查：{{ number }}",
        body_zh="{{ company }} 您好：\n\n經審查不符合資格。\n\n{{ reason }}\n",
    )

    migration.forwards(apps, None)
    migration.forwards(apps, None)  # a second run changes nothing more

    template = NotificationTemplate.objects.get(key="ineligible")
    assert template.subject_zh == "資格審查：{{ number }}"
    assert template.body_zh == "{{ company }} 您好：\n\n經審查不符合資格。\n\n{{ reason }}\n"
    assert template.subject_en == DEFAULT_TEMPLATES["ineligible"][1][1]
    supplement = NotificationTemplate.objects.get(key="supplement_requested")
    assert supplement.body_zh.count("需補正之頁面：{{ steps }}") == 1


def test_review_notices_get_the_service_line(db):
    store_old_defaults()
    migration.forwards(apps, None)
    phone = importlib.import_module("aipower.core.migrations.0010_review_notices_phone")

    phone.forwards(apps, None)

    for key in ("supplement_requested", "not_accepted", "ineligible"):
        template = NotificationTemplate.objects.get(key=key)
        assert (template.body_zh, template.body_en) == DEFAULT_TEMPLATES[key][2], key
