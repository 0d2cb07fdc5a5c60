"""The one store of notice templates: the seeded defaults, what a template may use (only its
notice's variables, valid syntax) and the mail format."""

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.utils import translation

from aipower.core import notices
from aipower.core.models import NotificationTemplate
from aipower.core.notice_texts import DEFAULT_TEMPLATES, VARIABLES

pytestmark = pytest.mark.integration

APPLICANT_KEYS = {
    "application_submitted",
    "award_started",
    "points_used_80",
    "points_used_100",
    "expiry_soon",
    "expired",
    "inactivity",
    "violation",
    "reinstated",
    "deliverables_due",
    "deliverables_overdue",
    "privacy_completed",
    "privacy_refused",
}


def test_every_notice_kind_is_seeded_once_with_its_defaults(db):
    keys = set(NotificationTemplate.objects.values_list("key", flat=True))

    assert set(DEFAULT_TEMPLATES) == set(VARIABLES)
    assert keys >= set(DEFAULT_TEMPLATES) >= APPLICANT_KEYS
    template = NotificationTemplate.objects.get(key="points_used_80")
    description, subject, body = DEFAULT_TEMPLATES["points_used_80"]
    assert (template.description, template.subject_zh, template.subject_en) == (
        description,
        subject[0],
        subject[1],
    )
    assert (template.body_zh, template.body_en) == body


def test_every_default_passes_the_operators_checks(db):
    for template in NotificationTemplate.objects.filter(key__in=DEFAULT_TEMPLATES):
        template.full_clean()  # raises on an unknown variable or broken syntax


def test_seeding_again_keeps_edited_templates_and_restores_missing_ones(db):
    NotificationTemplate.objects.filter(key="expired").update(subject_zh="改過的主旨")
    NotificationTemplate.objects.filter(key="inactivity").delete()

    created = notices.seed_templates()

    assert created == 1
    assert NotificationTemplate.objects.get(key="expired").subject_zh == "改過的主旨"
    assert (
        NotificationTemplate.objects.get(key="inactivity").subject_zh
        == (DEFAULT_TEMPLATES["inactivity"][1][0])
    )


def test_template_with_a_variable_its_notice_lacks_is_refused_next_to_the_field(db):
    template = NotificationTemplate.objects.get(key="expired")
    template.subject_en = "Ended {{ ends_on }} for {{ reviewer }}"
    template.body_zh = "{% if secret %}{{ company.name }}{% endif %}{{ left|default:missing }}"

    with pytest.raises(ValidationError) as raised:
        template.full_clean()

    errors = raised.value.message_dict
    assert set(errors) == {"subject_en", "body_zh"}
    available = "、".join(VARIABLES["expired"])
    assert errors["subject_en"] == [f"此通知沒有這些變數：reviewer。可用變數：{available}"]
    assert errors["body_zh"] == [f"此通知沒有這些變數：missing、secret。可用變數：{available}"]


def test_template_with_broken_syntax_is_refused_next_to_the_field(db):
    template = NotificationTemplate.objects.get(key="violation")
    template.body_en = "{% if sanction_code == 'bar' %}barred"

    with pytest.raises(ValidationError) as raised:
        template.full_clean()

    assert list(raised.value.message_dict) == ["body_en"]
    assert raised.value.message_dict["body_en"][0].startswith("範本語法錯誤：")


def test_registered_kinds_are_seeded_and_checked(db, monkeypatch):
    monkeypatch.setattr(notices, "DEFAULT_TEMPLATES", dict(DEFAULT_TEMPLATES))
    monkeypatch.setattr(notices, "VARIABLES", dict(VARIABLES))
    notices.register(
        {"survey_due": ("調查提醒", ("請填 {{ title }}", "Answer {{ title }}"), ("內容", "Body"))},
        {"survey_due": ("title",)},
    )

    created = notices.seed_templates()
    template = NotificationTemplate.objects.get(key="survey_due")
    template.body_en = "{{ title }} {{ company }}"

    assert created == 1
    assert notices.render("survey_due", {"title": "甲"}, "en") == ("Answer 甲", "Body")
    with pytest.raises(ValidationError) as raised:
        template.full_clean()
    assert raised.value.message_dict["body_en"][0].startswith("此通知沒有這些變數：company。")


def test_names_bound_by_the_template_itself_are_allowed(db):
    source = (
        "{% for label in missing %}{{ forloop.counter }}. {{ label|upper }}{% endfor %}"
        "{% with n=days_left %}{{ n }}{% endwith %}"
    )

    assert notices.used_variables(source) == {"missing", "days_left"}
    assert notices.unknown_variables("deliverables_due", source) == []


def test_bilingual_is_zh_then_english(db):
    subject, body = notices.bilingual(
        "reinstated", lambda language: {"company": "甲公司", "category": "類", "rule": "1"}
    )

    assert (
        subject == "【AI算力平台】算力服務已恢復 / [AI Compute Platform] Compute service reinstated"
    )
    zh, en = body.split("\n\n----- English -----\n\n")
    assert zh.startswith("甲公司 您好：\n\n貴公司「類」因違反使用規範第 1 點")
    assert en.startswith("Dear 甲公司,\n\nYour 類 compute service")
    assert body.endswith("please do not reply to it.\n")


def test_template_refusal_in_english_lists_the_variables_with_commas(db):
    template = NotificationTemplate.objects.get(key="expired")
    template.body_zh = "{% if secret %}{{ missing }}{% endif %}"

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        template.full_clean()

    available = ", ".join(VARIABLES["expired"])
    assert raised.value.message_dict["body_zh"] == [
        f"This notice has no such variables: missing, secret. Available variables: {available}"
    ]


def test_english_defaults_use_english_punctuation():
    # Full-width colons and brackets (：（）) belong to the zh-Hant texts only.
    full_width = re.compile(r"[\u3000-\u303f\uff00-\uffef]")

    offending = {
        key: [part for part in (subject[1], body[1]) if full_width.search(part)]
        for key, (_description, subject, body) in DEFAULT_TEMPLATES.items()
    }

    assert {key: parts for key, parts in offending.items() if parts} == {}


def test_receipt_migration_updates_only_an_unedited_english_body(db):
    migration = importlib.import_module("aipower.core.migrations.0005_receipt_english_punctuation")
    template = NotificationTemplate.objects.get(key="application_submitted")
    template.body_en = migration.OLD_BODY_EN
    template.save()

    migration.forwards(django_apps, None)
    template.refresh_from_db()
    updated = template.body_en
    template.body_en = migration.OLD_BODY_EN + "Edited by the operator.\n"
    template.save()
    migration.forwards(django_apps, None)
    template.refresh_from_db()

    assert updated == DEFAULT_TEMPLATES["application_submitted"][2][1]
    assert "Applicant company: {{ company }} ({{ ubn }})" in updated
    assert template.body_en == migration.OLD_BODY_EN + "Edited by the operator.\n"
