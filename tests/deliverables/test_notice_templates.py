"""The deliverables reminders come from the operator-editable templates (due soon, overdue)."""

import pytest

from aipower.applications.models import SentMail
from aipower.calls.enums import CategoryKind
from aipower.core.roc import format_roc_date
from aipower.deliverables import reminders, services
from tests.core.notice_helpers import bilingual_text, edit_template

from .conftest import ended_allowance

pytestmark = pytest.mark.integration

EDITED = {
    "subject_zh": "成果 {{ due_on }}",
    "subject_en": "Deliverables {{ due_on }}",
    "body_zh": "{{ company }}{% for label in missing %}／{{ label }}{% endfor %}",
    "body_en": "{{ company }}{% for label in missing %} / {{ label }}{% endfor %}",
}


@pytest.mark.parametrize(
    ("key", "days_ago"), [("deliverables_due", 25), ("deliverables_overdue", 31)]
)
def test_reminder_uses_the_edited_template(call_115, key, days_ago):
    edit_template(key, **EDITED)
    allowance = ended_allowance(call_115, "12345675", CategoryKind.INFERENCE, days_ago=days_ago)

    reminders.run()

    due = services.due_on(allowance)
    sent = SentMail.objects.get()
    assert (sent.subject, sent.body) == bilingual_text(
        f"成果 {format_roc_date(due)}",
        f"Deliverables {due.isoformat()}",
        "公司12345675／結案報告／成果簡報／產品demo影片",
        "公司12345675 / Final report / Results presentation / Product demo video",
    )
