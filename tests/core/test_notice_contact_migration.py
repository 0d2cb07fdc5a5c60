"""Migration core 0009: stored notices that said 「請洽申請客服信箱。」 (no address) or 「請儘速與
執行單位聯繫」 name the 申請客服信箱 and 申請諮詢專線 where they still hold that default."""

import importlib

import pytest
from django.apps import apps

from aipower.core.models import NotificationTemplate
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.notices import seed_templates

pytestmark = pytest.mark.integration

migration = importlib.import_module("aipower.core.migrations.0009_notice_contact_details")


def test_old_contact_lines_name_the_mailbox_and_line_and_edits_are_kept(db):
    seed_templates()  # every registered kind, followup's included
    for key, lines in migration.LINES.items():
        template = NotificationTemplate.objects.get(key=key)
        for field, (old, new) in lines.items():
            setattr(template, field, getattr(template, field).replace(new, old))
        template.save()
    NotificationTemplate.objects.filter(key="reinstated").update(body_en="Edited.\n")

    migration.forwards(apps, None)

    for key in ("inactivity", "violation", "privacy_completed", "privacy_refused"):
        template = NotificationTemplate.objects.get(key=key)
        assert (template.body_zh, template.body_en) == DEFAULT_TEMPLATES[key][2], key
    overdue = NotificationTemplate.objects.get(key="followup_overdue")
    assert "{{ service_email }}" in overdue.body_zh
    assert "{{ service_phone }}" in overdue.body_en
    reinstated = NotificationTemplate.objects.get(key="reinstated")
    assert reinstated.body_en == "Edited.\n"
    assert "{{ service_phone }}" in reinstated.body_zh
