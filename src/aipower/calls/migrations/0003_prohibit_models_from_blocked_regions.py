"""Catalogue models from mainland China, Hong Kong or Macao are prohibited and disabled (使用規範
第5點), as ``CatalogueModel.save`` now keeps them: rows saved before it are brought in line."""

from django.conf import settings
from django.db import migrations


def prohibit(apps, schema_editor):
    CatalogueModel = apps.get_model("calls", "CatalogueModel")
    blocked = [code for code in settings.GATEWAY_BLOCKED_COUNTRIES]
    codes = blocked + [code.lower() for code in blocked]
    CatalogueModel.objects.filter(country__in=codes).update(prohibited=True, enabled=False)


class Migration(migrations.Migration):
    dependencies = [("calls", "0002_form_notes")]

    operations = [migrations.RunPython(prohibit, migrations.RunPython.noop)]
