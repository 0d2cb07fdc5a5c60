"""When a ledger entry's units were used, where that is not when it was written (a GPU job's
charge reported after midnight). Entries written before stay null, dated by their ``created_at``:
the ledger refuses UPDATE, and a nullable column is added without rewriting the table (SQLite
keeps its append-only trigger)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('grants', '0010_clustertoken_rotation'),
    ]

    operations = [
        migrations.AddField(
            model_name='ledgerentry',
            name='used_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='使用時間'),
        ),
    ]
