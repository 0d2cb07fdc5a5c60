"""The reviewer's assignment mail is about one application (「申請案 {{ number }}」), but its
English subject said "Applications assigned to you". Stored copies change only where they still
hold the old default subject."""

from django.db import migrations

OLD = "[AI Compute Platform] Applications assigned to you"
NEW = "[AI Compute Platform] An application assigned to you"


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    model.objects.filter(key="reviewer_assigned", subject_en=OLD).update(subject_en=NEW)


class Migration(migrations.Migration):
    dependencies = [("core", "0011_expired_notice_calendar_days")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
