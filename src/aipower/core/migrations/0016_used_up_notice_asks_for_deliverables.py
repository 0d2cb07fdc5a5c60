"""The 算力點數已用罄 notice asks for the deliverables: points used up early count as the end of
the service (提前使用完畢，則視同為服務結束), and the notice said only that the service ended.
Stored copies change only where they still hold the old default text."""

from django.db import migrations

from aipower.core.notice_texts import DEFAULT_TEMPLATES

ZH_AFTER = "金鑰停止運作，叢集帳號停止排程。\n\n"
EN_AFTER = "scheduling.\n\n"


def _added(body, after, language):
    """The paragraph the new default has after ``after`` (the first paragraph)."""
    new = DEFAULT_TEMPLATES["points_used_100"][2][language]
    start = new.index(after) + len(after)
    return new[start : new.index("\n\n", start) + 2]


def forwards(apps, schema_editor):
    model = apps.get_model("core", "NotificationTemplate")
    for template in model.objects.filter(key="points_used_100"):
        changed = []
        for field, after, language in (("body_zh", ZH_AFTER, 0), ("body_en", EN_AFTER, 1)):
            body = getattr(template, field)
            paragraph = _added(body, after, language)
            if after in body and paragraph not in body:
                setattr(template, field, body.replace(after, after + paragraph, 1))
                changed.append(field)
        if changed:
            template.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("core", "0015_formuse_used_at_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
