"""Two notes of the programme document the year-115 seed left out — training section 3
「請填寫完整資訊」 and inference section 7 「結案報告、成果簡報等將提供公版格式。」 — added to a
year-115 call already in the database (a new one gets them from ``seed_call``)."""

from django.db import migrations

NOTES = [
    ("training-1", "3", "請填寫完整資訊", "Please give complete information."),
    (
        "inference-3",
        "7",
        "結案報告、成果簡報等將提供公版格式。",
        "Templates for the final report and the results presentation will be provided.",
    ),
]


def add_notes(apps, schema_editor):
    Call = apps.get_model("calls", "Call")
    FormNote = apps.get_model("calls", "FormNote")
    for call in Call.objects.filter(year=115):
        for page, section, body_zh, body_en in NOTES:
            if not FormNote.objects.filter(call=call, page=page, section=section).exists():
                FormNote.objects.create(
                    call=call, page=page, section=section, body_zh=body_zh, body_en=body_en
                )


class Migration(migrations.Migration):
    dependencies = [("calls", "0003_prohibit_models_from_blocked_regions")]

    operations = [migrations.RunPython(add_notes, migrations.RunPython.noop)]
