"""The review's notices to applicants (supplement, 不予受理, 資格不符) name the 申請諮詢專線
({{ service_phone }}) next to the 申請客服信箱, as the programme's 聯繫窗口 lists both. Stored
copies change only where they still hold the old default wording."""

from django.db import migrations

LINES = {
    "body_zh": (
        "如有疑問，請洽申請客服信箱 {{ service_email }}。\n",
        "如有疑問，請洽申請客服信箱 {{ service_email }} 或申請諮詢專線 {{ service_phone }}。\n",
    ),
    "body_en": (
        "Questions: {{ service_email }}.\n",
        "For questions, write to {{ service_email }} or call {{ service_phone }}.\n",
    ),
}
KEYS = ("supplement_requested", "not_accepted", "ineligible")


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    for template in model.objects.filter(key__in=KEYS):
        changed = False
        for field, (old, new) in LINES.items():
            value = getattr(template, field)
            if old in value:
                setattr(template, field, value.replace(old, new))
                changed = True
        if changed:
            template.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0009_notice_contact_details")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
