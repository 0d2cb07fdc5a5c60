"""The audit log names each entry's object by what it is in the page's language (「申請案 4」,
"Application 4"), with the stored type beneath as the action's code is: it showed only the
model's code, 「applications.Application 4」 or 「review.Assignment 12」."""

import re

import pytest
from django.urls import reverse

from aipower.core.models import AuditEntry
from aipower.review.templatetags.review_tags import audit_object

from .conftest import verified_client
from .helpers import make_eligible

pytestmark = pytest.mark.integration


def _object_cell(html, action):
    row = re.search(
        rf"<tr>(?:(?!</tr>).)*?<code class=\"small\">{re.escape(action)}</code>(.*?)</tr>",
        html,
        re.S,
    )
    return re.sub(
        r"\s+",
        " ",
        re.sub(r"<[^>]+>", " ", re.search(r"<td>(.*?)</td>", row.group(1), re.S).group(1)),
    ).strip()


def test_the_audit_log_names_the_object_in_the_pages_language(app_a, operator, organiser):
    make_eligible(app_a, operator)
    client = verified_client(organiser)

    chinese = client.get(reverse("review:audit"), {"action": "application.transition"})
    client.cookies["django_language"] = "en"
    english = client.get(reverse("review:audit"), {"action": "application.transition"})

    cell = _object_cell(chinese.content.decode(), "application.transition")
    assert cell == f"申請案 {app_a.pk} applications.Application"
    cell = _object_cell(english.content.decode(), "application.transition")
    assert cell == f"Application {app_a.pk} applications.Application"


def test_an_object_type_that_is_no_model_is_shown_as_stored(db, organiser):
    AuditEntry.objects.create(action="test.other", object_type="application", object_id="7")

    html = verified_client(organiser).get(reverse("review:audit")).content.decode()

    assert audit_object("application") == "" and audit_object("") == ""
    assert _object_cell(html, "test.other") == "application 7"


def test_an_api_key_is_named_as_one_key_in_english(db, organiser):
    """The key's model was named "API keys" in English (its page's title), so the audit log said
    "API keys 3" of one key."""
    AuditEntry.objects.create(action="test.key", object_type="gateway.ApiKey", object_id="3")
    client = verified_client(organiser)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("review:audit")).content.decode()

    assert _object_cell(html, "test.key") == "API key 3 gateway.ApiKey"


def test_one_violation_is_named_in_the_singular_in_english(db, organiser):
    """Fourteen models' English names were their plural headings: "Violations 3" of one."""
    AuditEntry.objects.create(
        action="test.violation", object_type="compliance.Violation", object_id="3"
    )
    client = verified_client(organiser)
    client.cookies["django_language"] = "en"

    html = client.get(reverse("review:audit")).content.decode()

    assert _object_cell(html, "test.violation") == "Violation 3 compliance.Violation"
