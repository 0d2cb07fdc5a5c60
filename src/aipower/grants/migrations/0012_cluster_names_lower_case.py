"""Cluster names in lower case, as Slurm keeps them and ``gpu.cluster_name`` now stores them:
'Taiwania2' and 'taiwania2' were two clusters, each with its token and its own record of every
job.

A cluster's tokens under two spellings become one row: the newest, with the other's token (if
it still worked and the row has no replaced token working) kept beside it as its replaced token
for ``gpu.ROTATION_OVERLAP``, so neither reporting script stops before it is reconfigured. A job
recorded under another spelling is renamed, unless the same job is recorded under the lower-case
name too: it was charged under both, and that stays for the operator to correct by an
adjustment (the ledger is append-only); the cluster's reports now go to the lower-case record.
"""

import datetime

from django.db import migrations, models
from django.db.models.functions import Lower
from django.utils import timezone

OVERLAP = datetime.timedelta(days=7)  # gpu.ROTATION_OVERLAP when this was written


def lower_case(apps, schema_editor):
    ClusterToken = apps.get_model("grants", "ClusterToken")
    GpuJob = apps.get_model("grants", "GpuJob")
    now = timezone.now()
    groups = {}
    for row in ClusterToken.objects.order_by("-created_at", "-pk"):
        groups.setdefault(row.cluster.lower(), []).append(row)
    for name, (keeper, *others) in groups.items():
        for other in others:
            keeps_working = other.revoked_at is None and not (
                keeper.previous_token_hash
                and keeper.previous_expires_at
                and keeper.previous_expires_at > now
            )
            other.delete()
            if keeps_working:
                keeper.previous_token_hash = other.token_hash
                keeper.previous_expires_at = now + OVERLAP
                keeper.previous_last_used_at = other.last_used_at
        if keeper.cluster != name or others:
            keeper.cluster = name
            keeper.save()
    spellings = GpuJob.objects.values_list("cluster", flat=True).distinct()
    for spelling in [s for s in spellings if s != s.lower()]:
        recorded = GpuJob.objects.filter(cluster=spelling.lower()).values("job_id")
        GpuJob.objects.filter(cluster=spelling).exclude(job_id__in=recorded).update(
            cluster=spelling.lower()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0011_ledgerentry_used_at"),
    ]

    operations = [
        migrations.RunPython(lower_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="clustertoken",
            constraint=models.UniqueConstraint(
                Lower("cluster"), name="grants_clustertoken_cluster_ci"
            ),
        ),
    ]
