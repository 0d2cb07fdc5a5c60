"""The English default of the submission receipt (application_submitted) used full-width
colons and brackets; an unedited stored copy gets the corrected default, an edited one is kept."""

from django.db import migrations

KEY = "application_submitted"

OLD_BODY_EN = (
    "Dear {{ company }},\n"
    "\n"
    "Your compute platform application has been submitted:\n"
    "\n"
    "Application number：{{ number }}\n"
    "Applicant company：{{ company }}（{{ ubn }}）\n"
    "Application category：{{ category }}\n"
    "Submitted at：{{ submitted_at }}（Taipei time）\n"
    "Review batch：Batch {{ batch }}（Planned review date {{ review_date }}）\n"
    "Content fingerprint：{{ fingerprint }}\n"
    "\n"
    "The content fingerprint (SHA-256) lets you confirm that the submitted application "
    "has not been altered. Until the review batch closes you can still sign in and "
    "“View or update the application”.\n"
    "\n"
    "This e-mail was sent automatically; please do not reply to it.\n"
)

NEW_BODY_EN = (
    "Dear {{ company }},\n"
    "\n"
    "Your compute platform application has been submitted:\n"
    "\n"
    "Application number: {{ number }}\n"
    "Applicant company: {{ company }} ({{ ubn }})\n"
    "Application category: {{ category }}\n"
    "Submitted at: {{ submitted_at }} (Taipei time)\n"
    "Review batch: Batch {{ batch }} (planned review date {{ review_date }})\n"
    "Content fingerprint: {{ fingerprint }}\n"
    "\n"
    "The content fingerprint (SHA-256) lets you confirm that the submitted application "
    "has not been altered. Until the review batch closes you can still sign in and "
    "“View or update the application”.\n"
    "\n"
    "This e-mail was sent automatically; please do not reply to it.\n"
)


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    model.objects.filter(key=KEY, body_en=OLD_BODY_EN).update(body_en=NEW_BODY_EN)


def backwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    model.objects.filter(key=KEY, body_en=NEW_BODY_EN).update(body_en=OLD_BODY_EN)


class Migration(migrations.Migration):
    dependencies = [("core", "0004_notificationtemplate_table_and_seed")]

    operations = [migrations.RunPython(forwards, backwards)]
