"""The notices that tell people to ask the operator (inactivity, violation, reinstatement,
personal data requests, the overdue productisation survey) name the programme's 聯繫窗口: the
申請客服信箱 and 申請諮詢專線 ({{ service_email }}, {{ service_phone }}). They said
「請洽申請客服信箱。」 without the address, in a mail nobody may reply to. Stored copies change
only where they still hold the old default wording."""

from django.db import migrations

COMPANY_LINES = {
    "body_zh": (
        "如有疑問，請洽申請客服信箱。\n",
        "如有疑問，請洽申請客服信箱 {{ service_email }} 或申請諮詢專線 {{ service_phone }}。\n",
    ),
    "body_en": (
        "For questions, write to the applicants' service mailbox.\n",
        "For questions, write to {{ service_email }} or call {{ service_phone }}.\n",
    ),
}
FOLLOWUP_LINES = {
    "body_zh": (
        "請儘速與執行單位聯繫，以完成填報。\n",
        "請儘速與執行單位聯繫（申請客服信箱 {{ service_email }}，申請諮詢專線 "
        "{{ service_phone }}），以完成填報。\n",
    ),
    "body_en": (
        "Please contact the operator as soon as possible to complete the survey.\n",
        "Please contact the operator as soon as possible ({{ service_email }}, "
        "{{ service_phone }}) to complete the survey.\n",
    ),
}
LINES = {
    "inactivity": COMPANY_LINES,
    "violation": COMPANY_LINES,
    "reinstated": COMPANY_LINES,
    "privacy_completed": COMPANY_LINES,
    "privacy_refused": COMPANY_LINES,
    "followup_overdue": FOLLOWUP_LINES,
}


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    for template in model.objects.filter(key__in=LINES):
        changed = False
        for field, (old, new) in LINES[template.key].items():
            value = getattr(template, field)
            if old in value:
                setattr(template, field, value.replace(old, new))
                changed = True
        if changed:
            template.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0008_review_notices_wording")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
