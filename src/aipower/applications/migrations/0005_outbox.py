"""The outbox: a mail is stored as queued and sent after the transaction commits.

Mails from before were sent at once: ``queued_at`` is their old ``sent_at``; those without an
error are sent, the others failed (``sent_at`` empty, no automatic attempt left: the operator
sends them again, as before).
"""

import django.utils.timezone
from django.db import migrations, models
from django.db.models import F


def mark_earlier_mails(apps, schema_editor):
    SentMail = apps.get_model("applications", "SentMail")
    SentMail.objects.update(queued_at=F("sent_at"), attempts=1)
    SentMail.objects.filter(error="").update(status="sent")
    SentMail.objects.exclude(error="").update(status="failed", sent_at=None)


def unmark_earlier_mails(apps, schema_editor):
    SentMail = apps.get_model("applications", "SentMail")
    SentMail.objects.filter(sent_at__isnull=True).update(sent_at=F("queued_at"))


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0004_sentmail_resent_from'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='sentmail',
            options={'ordering': ['-queued_at', '-id'], 'verbose_name': '寄送郵件', 'verbose_name_plural': '寄送郵件'},
        ),
        migrations.AddField(
            model_name='sentmail',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, verbose_name='寄送次數'),
        ),
        migrations.AddField(
            model_name='sentmail',
            name='next_attempt_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='下次寄送時間'),
        ),
        migrations.AddField(
            model_name='sentmail',
            name='queued_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='建立時間'),
        ),
        migrations.AddField(
            model_name='sentmail',
            name='status',
            field=models.CharField(choices=[('queued', '待寄送'), ('sending', '寄送中'), ('sent', '已寄出'), ('failed', '寄送失敗')], default='queued', max_length=10, verbose_name='寄送狀態'),
        ),
        migrations.AlterField(
            model_name='sentmail',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='寄送時間'),
        ),
        migrations.AddIndex(
            model_name='sentmail',
            index=models.Index(fields=['next_attempt_at'], name='sentmail_next_attempt'),
        ),
        migrations.RunPython(mark_earlier_mails, unmark_earlier_mails),
    ]
