"""Every notice's subject starts with the platform's one name — 【AI算力平台】 and
[AI Compute Platform] (some said 【算力平台】, [AI Power] or [AI compute platform]) — and the
inactivity notice says the idle weeks are *more than* half of the period (使用規範第6點: 過半),
as the rule counts them. Stored copies change only where they still hold the old wording."""

from django.db import migrations

SUBJECT_PREFIXES = {
    "subject_zh": [("【算力平台】", "【AI算力平台】")],
    "subject_en": [
        ("[AI Power] ", "[AI Compute Platform] "),
        ("[AI compute platform] ", "[AI Compute Platform] "),
    ],
}
INACTIVITY_BODIES = {
    "body_zh": (
        "，達核定使用期間 {{ period_weeks }} 週之半數。",
        "，超過核定使用期間 {{ period_weeks }} 週之半數（過半週數）。",
    ),
    "body_en": (
        " weeks, half of the {{ period_weeks }} weeks of the approved period.",
        " weeks, more than half of the {{ period_weeks }} weeks of the approved period.",
    ),
}


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    for template in model.objects.all():
        changed = False
        for field, prefixes in SUBJECT_PREFIXES.items():
            value = getattr(template, field)
            for old, new in prefixes:
                if value.startswith(old):
                    setattr(template, field, new + value[len(old) :])
                    changed = True
        if template.key == "inactivity":
            for field, (old, new) in INACTIVITY_BODIES.items():
                value = getattr(template, field)
                if old in value:
                    setattr(template, field, value.replace(old, new))
                    changed = True
        if changed:
            template.save()


class Migration(migrations.Migration):
    dependencies = [("core", "0006_throttle")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
