"""Helpers for the notice-template tests of every app: edit a stored template as the operator
does (validated by the model's ``full_clean``), and the mail text it must produce."""

from aipower.core.models import NotificationTemplate


def edit_template(key, *, subject_zh, subject_en, body_zh, body_en):
    template = NotificationTemplate.objects.get(key=key)
    template.subject_zh, template.subject_en = subject_zh, subject_en
    template.body_zh, template.body_en = body_zh, body_en
    template.full_clean()
    template.save()
    return template


def bilingual_text(subject_zh, subject_en, body_zh, body_en):
    """(subject, body) of a zh-Hant-then-English mail."""
    return (
        f"{subject_zh} / {subject_en}",
        f"{body_zh}\n\n----- English -----\n\n{body_en}\n",
    )
