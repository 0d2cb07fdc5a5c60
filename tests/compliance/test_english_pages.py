"""The compliance pages in English: the refusals' key column and the evidence filled in from a
refusal read right for a single key and a single connection."""

import pytest
from django.urls import reverse

from tests.compliance.test_region_refusals import key, refuse  # noqa: F401 (fixture)
from tests.conftest import verified_client
from tests.review.conftest import make_staff

pytestmark = pytest.mark.integration


def _english_operator():
    client = verified_client(make_staff("op", "operator"))
    client.cookies["django_language"] = "en"
    return client


def test_refusals_column_names_one_api_key(db, key):  # noqa: F811
    refuse(key, "HK", "202.45.84.58")

    page = _english_operator().get(reverse("compliance:index")).content.decode()

    assert '<th scope="col">API key</th>' in page
    assert '<th scope="col">API keys</th>' not in page


def test_evidence_from_a_single_refused_connection_has_no_wrong_plural(db, key):  # noqa: F811
    refusal = refuse(key, "HK", "202.45.84.58")

    form = _english_operator().get(reverse("compliance:record"), {"refusal": refusal.pk})

    evidence = form.context["form"].initial["evidence"]
    assert evidence.startswith(
        f"API key “production server” ({key.prefix}…): connections to the platform from an "
        f"address in Hong Kong on {refusal.day.isoformat()}, all refused: 1; the last at "
    )
    assert "1 times" not in evidence
