"""The notice templates are stored by core now; the review keeps a proxy for the admin.

State only: no table changes here (core's migrations take the table over with its rows). The
proxy keeps the content type review.notificationtemplate, so the operators' permissions stay.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_notificationtemplate"),
        ("review", "0004_state_change_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="NotificationTemplate"),
                migrations.CreateModel(
                    name="NotificationTemplate",
                    fields=[],
                    options={
                        "verbose_name": "通知範本",
                        "verbose_name_plural": "通知範本",
                        "proxy": True,
                        "indexes": [],
                        "constraints": [],
                    },
                    bases=("core.notificationtemplate",),
                ),
            ],
            database_operations=[],
        ),
    ]
