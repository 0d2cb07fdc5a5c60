"""Scheduler accounts in lower case, as Slurm keeps them and ``gpu.cluster_account`` now
stores and matches them: a job reported under 'AIP115-12345675' was recorded with no award
(``unknown_account``, nothing charged) although the award's account is 'aip115-12345675'.

An award's account stored with capitals becomes lower case (none is made so: ``aip<year>-<UBN>``;
a database edited by hand may hold one); one whose lower case another award holds gets the
award's number after it, as ``services.open_allowance`` names a second award of a taken account.
Job records' accounts become lower case. A job recorded with no award because of its spelling
stays uncharged here (a migration writes no ledger entries or notices): the cluster's next
report of it, or the period's sacct imported again, charges it (only what was not charged).
"""

from django.db import migrations, models
from django.db.models.functions import Lower


def lower_case(apps, schema_editor):
    Allowance = apps.get_model("grants", "Allowance")
    GpuJob = apps.get_model("grants", "GpuJob")
    spelled = Allowance.objects.filter(account__isnull=False).exclude(account=Lower("account"))
    for allowance in spelled.order_by("pk"):
        name = allowance.account.lower()
        if Allowance.objects.filter(account__iexact=name).exclude(pk=allowance.pk).exists():
            name = f"{name}-{allowance.award_id}"
        allowance.account = name
        allowance.save(update_fields=["account"])
    GpuJob.objects.exclude(account=Lower("account")).update(account=Lower("account"))


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0012_cluster_names_lower_case"),
    ]

    operations = [
        migrations.RunPython(lower_case, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="allowance",
            constraint=models.UniqueConstraint(
                Lower("account"), name="grants_allowance_account_ci"
            ),
        ),
    ]
