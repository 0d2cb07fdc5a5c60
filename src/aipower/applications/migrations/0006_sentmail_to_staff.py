"""SentMail.to_staff: a mail to staff members about an application is marked as such when it is
written, instead of being recognised later by its addresses (a reviewer whose address changed, or
whose account was removed, had their assignment mail shown on the applicant's dashboard).
Existing mails are marked by the addresses the staff have now — the best that can be known."""

from django.db import migrations, models

STAFF_ROLES = ("operator", "reviewer", "organiser")


def mark_staff_mails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    SentMail = apps.get_model("applications", "SentMail")
    staff = {
        email.strip().lower()
        for email in User.objects.filter(role__in=STAFF_ROLES)
        .exclude(email="")
        .values_list("email", flat=True)
    }
    marked = [
        mail.pk
        for mail in SentMail.objects.filter(application__isnull=False).only("pk", "to")
        if mail.to and all(str(address).strip().lower() in staff for address in mail.to)
    ]
    for start in range(0, len(marked), 500):
        SentMail.objects.filter(pk__in=marked[start : start + 500]).update(to_staff=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0005_outbox"),
    ]

    operations = [
        migrations.AddField(
            model_name="sentmail",
            name="to_staff",
            field=models.BooleanField(default=False, editable=False, verbose_name="寄給工作人員"),
        ),
        migrations.RunPython(mark_staff_mails, migrations.RunPython.noop),
    ]
