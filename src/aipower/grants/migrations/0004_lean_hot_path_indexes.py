"""Fewer indexes on the tables every gateway request writes to: the single-column index of a
foreign key that leads a composite index, and the ``varchar_pattern_ops`` copies PostgreSQL gets
for ``unique=True`` text columns (unique constraints now, which add no such copy).

SQLite alters a column by rebuilding the table, which drops the table's triggers: the ledger's
append-only trigger (0002) is created again after the rebuild (and again after the reverse
rebuild when unapplied).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_DROP_TRIGGER = "DROP TRIGGER IF EXISTS grants_ledgerentry_append_only"
SQLITE_CREATE_TRIGGER = """
CREATE TRIGGER grants_ledgerentry_append_only BEFORE UPDATE ON grants_ledgerentry
BEGIN
    SELECT RAISE(ABORT, 'grants_ledgerentry is append-only: UPDATE refused');
END
"""


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP_TRIGGER, params=None)
        schema_editor.execute(SQLITE_CREATE_TRIGGER, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("calls", "0002_form_notes"),
        ("grants", "0003_notice_started"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, recreate_sqlite_trigger),
        migrations.AlterField(
            model_name="ledgerentry",
            name="allowance",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="grants.allowance",
                verbose_name="點數帳戶",
            ),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="source",
            field=models.CharField(blank=True, max_length=200, null=True, verbose_name="來源"),
        ),
        migrations.AlterField(
            model_name="reservation",
            name="request_id",
            field=models.CharField(max_length=200, verbose_name="請求代碼"),
        ),
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                fields=("source",), name="grants_ledger_source_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="reservation",
            constraint=models.UniqueConstraint(
                fields=("request_id",), name="grants_reservation_request_unique"
            ),
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
