"""The expiry notice says 「{{ deliverables_days }} 個日曆天」 as the programme document does
(「於平台使用到期日後30個日曆天提交」); it said 「… 日曆天」. Stored copies change only where they
still hold the old default wording."""

from django.db import migrations

OLD = "請於屆滿後 {{ deliverables_days }} 日曆天內繳交"
NEW = "請於屆滿後 {{ deliverables_days }} 個日曆天內繳交"


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    for template in model.objects.filter(key="expired", body_zh__contains=OLD):
        template.body_zh = template.body_zh.replace(OLD, NEW)
        template.save(update_fields=["body_zh"])


class Migration(migrations.Migration):
    dependencies = [("core", "0010_review_notices_phone")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
