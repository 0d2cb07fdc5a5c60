"""Seed the notification templates (zh-Hant and English); edited ones are never overwritten."""

from django.db import migrations


def seed(apps, schema_editor):
    from aipower.review.notifications import seed_templates

    seed_templates(apps.get_model("review", "NotificationTemplate"))


class Migration(migrations.Migration):
    dependencies = [("review", "0002_review_workflow")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
