"""The organiser reads an application in eligibility review: the page says the operator is
deciding it (it said 目前不在資格審查階段, which was untrue), without the operator's form."""

import pytest
from django.urls import reverse

from .conftest import verified_client
from .test_pages import english

pytestmark = pytest.mark.integration


def test_organiser_sees_that_the_operator_decides_eligibility(app_a, organiser):
    html = verified_client(organiser).get(reverse("review:application", args=[app_a.pk]))
    html = html.content.decode()

    assert '<p class="help" id="eligibility-by-operator">資格審查中，由執行單位判定。</p>' in html
    assert "目前不在資格審查階段" not in html
    assert 'id="eligibility-form"' not in html


def test_in_english(app_a, organiser):
    client = english(verified_client(organiser))

    html = client.get(reverse("review:application", args=[app_a.pk])).content.decode()

    assert "In eligibility review: the operator decides." in html
