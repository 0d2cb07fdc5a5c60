"""The survey's two notices (followup_due, followup_overdue) join the operator-editable store
(core.NotificationTemplate); templates already there are never touched."""

from django.db import migrations


def seed(apps, schema_editor):
    from aipower.followup.notice_texts import ensure_templates

    ensure_templates(apps.get_model("core", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("core", "0004_notificationtemplate_table_and_seed"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
