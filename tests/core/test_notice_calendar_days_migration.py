"""Migration core 0011: the expiry notice says 「30 個日曆天」 as the programme document does,
in stored copies still holding the old default; an edited copy is kept."""

import importlib

import pytest
from django.apps import apps

from aipower.core.models import NotificationTemplate
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.notices import seed_templates

pytestmark = pytest.mark.integration

migration = importlib.import_module("aipower.core.migrations.0011_expired_notice_calendar_days")


def test_the_expiry_notice_says_calendar_days_as_the_programme_does(db):
    seed_templates()
    template = NotificationTemplate.objects.get(key="expired")
    template.body_zh = template.body_zh.replace(migration.NEW, migration.OLD)
    template.save()

    migration.forwards(apps, None)

    template.refresh_from_db()
    assert template.body_zh == DEFAULT_TEMPLATES["expired"][2][0]
    assert "請於屆滿後 {{ deliverables_days }} 個日曆天內繳交" in template.body_zh


def test_an_edited_expiry_notice_is_kept(db):
    seed_templates()
    NotificationTemplate.objects.filter(key="expired").update(body_zh="已改寫。\n")

    migration.forwards(apps, None)

    assert NotificationTemplate.objects.get(key="expired").body_zh == "已改寫。\n"
