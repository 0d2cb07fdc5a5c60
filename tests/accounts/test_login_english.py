"""The card sign-in page in English: the link to the business-certificate authority says where
it leads instead of ending on a dangling 'See'."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.integration


def test_sign_in_page_in_english_names_where_to_get_a_business_certificate(client, db):
    client.cookies["django_language"] = "en"

    page = client.get(reverse("accounts:login")).content.decode()

    assert (
        '<a href="https://moeaca.nat.gov.tw" rel="noopener" target="_blank">'
        "No business certificate? How to get one (MOEACA)"
        '<span class="visually-hidden"> (opens in a new window)</span></a>'
    ) in page
