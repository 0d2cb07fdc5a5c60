"""Migration core 0007: stored notices get the one platform name in their subjects and the
inactivity rule's 過半, where they still hold the old wording; other text is left alone."""

import importlib

import pytest
from django.apps import apps

from aipower.core.models import NotificationTemplate
from aipower.core.notices import seed_templates

pytestmark = pytest.mark.integration

migration = importlib.import_module("aipower.core.migrations.0007_notice_subjects_one_name")


def test_old_wording_is_brought_in_line_and_the_rest_kept(db):
    seed_templates()  # what the earlier migrations left (the test database may start empty)
    inactivity = NotificationTemplate.objects.get(key="inactivity")
    inactivity.subject_zh = "【算力平台】算力未使用通知（執行單位修改）"
    inactivity.subject_en = "[AI compute platform] Compute not used"
    inactivity.body_zh = (
        "貴公司算力已有 {{ idle_weeks }} 週未使用，達核定使用期間 {{ period_weeks }} 週之半數。"
    )
    inactivity.save()
    edited = NotificationTemplate.objects.get(key="points_used_80")
    edited.subject_en = "Points: {{ percent }}% used"
    edited.save()

    migration.forwards(apps, None)

    inactivity.refresh_from_db()
    edited.refresh_from_db()
    assert inactivity.subject_zh == "【AI算力平台】算力未使用通知（執行單位修改）"
    assert inactivity.subject_en == "[AI Compute Platform] Compute not used"
    assert inactivity.body_zh.endswith("超過核定使用期間 {{ period_weeks }} 週之半數（過半週數）。")
    assert edited.subject_en == "Points: {{ percent }}% used"
