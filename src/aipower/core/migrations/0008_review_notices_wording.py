"""The review's notices say what the programme document says, in stored copies that still hold
the old default wording (text the operator changed is left alone):

- their subjects start with the platform's one name, 【AI算力平台】 / [AI Compute Platform],
  as every other notice's does, instead of the call's title (【115年度 算力平台申請說明】);
- the supplement notice names the pages to correct (需補正之頁面：{{ steps }});
- the 不予受理 notice no longer repeats its reason line (逾補件期限未補正) under the sentence
  that already says it;
- the 資格不符 notice says 不予受理 (申請資格經審查不符合者，不予受理);
- the reviewers' reminder names the batch and the review meeting's date.
"""

from django.db import migrations

SUBJECT_PREFIXES = {
    "subject_zh": ("【{{ call }}】", "【AI算力平台】"),
    "subject_en": ("[{{ call }}] ", "[AI Compute Platform] "),
}
# key: {field: (old default text, new text)}
BODIES = {
    "supplement_requested": {
        "body_zh": (
            "{{ reason }}\n\n請於 {{ deadline }} 前登入申請系統",
            "{{ reason }}\n\n需補正之頁面：{{ steps }}\n\n請於 {{ deadline }} 前登入申請系統",
        ),
        "body_en": (
            "{{ reason }}\n\nPlease sign in before {{ deadline }}",
            "{{ reason }}\n\nPages to correct: {{ steps }}\n\nPlease sign in before {{ deadline }}",
        ),
    },
    "not_accepted": {
        "body_zh": (
            "補正資料，依規定不予受理。\n\n{{ reason }}\n\n",
            "補正資料，依規定不予受理。\n\n",
        ),
        "body_en": (
            "is therefore not accepted.\n\n{{ reason }}\n\n",
            "is therefore not accepted.\n\n",
        ),
    },
    "ineligible": {
        "body_zh": ("不符合申請資格，理由如下：", "不符合申請資格，依規定不予受理，理由如下："),
        "body_en": (
            "does not meet the eligibility requirements:",
            "does not meet the eligibility requirements and is therefore not accepted:",
        ),
    },
    "reviewer_reminder": {
        "body_zh": (
            "您尚有 {{ pending }} 件審查案件未送出評分，請於審查會議前完成。",
            "您於{{ batch }}尚有 {{ pending }} 件審查案件未送出評分，"
            "請於審查會議（{{ review_date }}）前完成。",
        ),
        "body_en": (
            "{{ pending }} of your assigned applications still wait for your scores; please "
            "submit them before the review meeting.",
            "{{ pending }} of your assigned applications in {{ batch }} still wait for your "
            "scores; please submit them before the review meeting on {{ review_date }}.",
        ),
    },
}


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    for template in model.objects.all():
        changed = False
        for field, (old, new) in SUBJECT_PREFIXES.items():
            value = getattr(template, field)
            if value.startswith(old):
                setattr(template, field, new + value[len(old) :])
                changed = True
        for field, (old, new) in BODIES.get(template.key, {}).items():
            value = getattr(template, field)
            if old in value:
                setattr(template, field, value.replace(old, new, 1))
                changed = True
        if changed:
            template.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0007_notice_subjects_one_name")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
