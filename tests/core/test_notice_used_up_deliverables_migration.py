"""The 算力點數已用罄 notice asks for the deliverables (points used up early count as the end of
the service), and migration core 0016 adds that paragraph to stored copies still holding the old
default; an edited copy is kept."""

import importlib

import pytest
from django.apps import apps

from aipower.core.models import NotificationTemplate
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.notices import seed_templates

pytestmark = pytest.mark.integration

migration = importlib.import_module(
    "aipower.core.migrations.0016_used_up_notice_asks_for_deliverables"
)
KEY = "points_used_100"


def _old_default(language):
    body = DEFAULT_TEMPLATES[KEY][2][language]
    after = (migration.ZH_AFTER, migration.EN_AFTER)[language]
    return body.replace(migration._added(body, after, language), "", 1)


def test_the_used_up_notice_asks_for_the_deliverables_in_both_languages():
    zh, en = DEFAULT_TEMPLATES[KEY][2]

    assert "提前使用完畢視同服務結束" in zh
    assert "{{ deliverables_days }} 個日曆天內繳交結案報告、成果簡報及產品demo影片" in zh
    assert "within {{ deliverables_days }} calendar days after the period ends" in en


def test_a_stored_copy_of_the_old_default_gets_the_paragraph(db):
    seed_templates()
    NotificationTemplate.objects.filter(key=KEY).update(
        body_zh=_old_default(0), body_en=_old_default(1)
    )

    migration.forwards(apps, None)

    template = NotificationTemplate.objects.get(key=KEY)
    assert (template.body_zh, template.body_en) == tuple(DEFAULT_TEMPLATES[KEY][2])
    migration.forwards(apps, None)  # twice: nothing added again
    template.refresh_from_db()
    assert template.body_zh == DEFAULT_TEMPLATES[KEY][2][0]


def test_an_edited_used_up_notice_is_kept(db):
    seed_templates()
    NotificationTemplate.objects.filter(key=KEY).update(body_zh="已改寫。\n", body_en="Mine.\n")

    migration.forwards(apps, None)

    template = NotificationTemplate.objects.get(key=KEY)
    assert (template.body_zh, template.body_en) == ("已改寫。\n", "Mine.\n")
