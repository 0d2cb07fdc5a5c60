"""core.NotificationTemplate gets its own table name (rows kept) and the templates of the
notices that were file templates until now (receipt, points, period, compliance,
deliverables, personal data, award start) are seeded; edited templates are never touched."""

from django.db import migrations


def seed(apps, schema_editor):
    from aipower.core.notices import seed_templates

    seed_templates(apps.get_model("core", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notificationtemplate"),
        ("review", "0005_notificationtemplate_moved_to_core"),
    ]

    operations = [
        migrations.AlterModelTable(name="notificationtemplate", table=None),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
