"""The notice templates move from the review to core, so that every app can reach them.

State only: the model now lives here and keeps using the review's table (and its rows); the
next migration renames the table once the review's model is a proxy of this one.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_audit_hash_chain"),
        ("review", "0004_state_change_choices"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationTemplate",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("key", models.SlugField(max_length=60, unique=True, verbose_name="代碼")),
                        (
                            "description",
                            models.CharField(blank=True, max_length=200, verbose_name="用途"),
                        ),
                        ("subject_zh", models.CharField(max_length=300, verbose_name="主旨")),
                        ("body_zh", models.TextField(verbose_name="內容")),
                        (
                            "subject_en",
                            models.CharField(blank=True, max_length=300, verbose_name="主旨（英文）"),
                        ),
                        ("body_en", models.TextField(blank=True, verbose_name="內容（英文）")),
                    ],
                    options={
                        "verbose_name": "通知範本",
                        "verbose_name_plural": "通知範本",
                        "ordering": ["key"],
                        "db_table": "review_notificationtemplate",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
