"""Migration core 0012: the reviewer's assignment mail, about one application, has a singular
English subject in stored copies still holding the old default; an edited copy is kept."""

import importlib

import pytest
from django.apps import apps

from aipower.core.models import NotificationTemplate
from aipower.core.notice_texts import DEFAULT_TEMPLATES
from aipower.core.notices import seed_templates

pytestmark = pytest.mark.integration

migration = importlib.import_module(
    "aipower.core.migrations.0012_reviewer_assigned_subject_singular"
)


def test_the_assignment_subject_names_one_application(db):
    seed_templates()
    NotificationTemplate.objects.filter(key="reviewer_assigned").update(subject_en=migration.OLD)

    migration.forwards(apps, None)

    subject = NotificationTemplate.objects.get(key="reviewer_assigned").subject_en
    assert subject == DEFAULT_TEMPLATES["reviewer_assigned"][1][1]
    assert "An application assigned to you" in subject


def test_an_edited_assignment_subject_is_kept(db):
    seed_templates()
    NotificationTemplate.objects.filter(key="reviewer_assigned").update(subject_en="Edited")

    migration.forwards(apps, None)

    assert NotificationTemplate.objects.get(key="reviewer_assigned").subject_en == "Edited"
