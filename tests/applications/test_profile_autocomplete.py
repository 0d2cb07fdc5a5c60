"""The 企業基本資料表's contact fields say what they hold (autocomplete, WCAG 1.3.5), so the
browser can offer the details of the person filling in the form; the 專案主持人's and the
second contact's fields, other people's, stay without."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.integration


def autocomplete_of(html, name):
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
    found = re.search(r'autocomplete="([^"]*)"', tag)
    return found.group(1) if found else None


def test_contact_fields_carry_their_autocomplete_purpose(draft, company_client):
    response = company_client.get(reverse("applications:step", args=["profile"]))
    html = response.content.decode()

    assert autocomplete_of(html, "contact_name") == "name"
    assert autocomplete_of(html, "contact_title") == "organization-title"
    assert autocomplete_of(html, "contact_phone") == "work tel"
    assert autocomplete_of(html, "contact_email") == "work email"
    assert autocomplete_of(html, "contact_mobile") == "mobile tel"
    assert autocomplete_of(html, "pi_name") is None
    assert autocomplete_of(html, "contact2_email") is None
