from django.db import migrations, models
from django.db.models import F


def taken_as_charged(apps, schema_editor):
    """Jobs recorded before: what was taken is what was accounted (exact unless the balance
    ran out during the job)."""
    apps.get_model("grants", "GpuJob").objects.update(taken_seconds=F("charged_seconds"))


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0005_gpujob_earlier_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="gpujob",
            name="taken_seconds",
            field=models.BigIntegerField(default=0, verbose_name="實扣 GPU 秒數"),
        ),
        migrations.RunPython(taken_as_charged, migrations.RunPython.noop),
    ]
