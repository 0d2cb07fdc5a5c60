"""The usage pages in English: no wrong plural where a figure may be 1."""

import pytest
from django.urls import reverse
from django.utils import translation

from aipower.grants import services
from aipower.grants.models import AllowanceState
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def test_chart_in_english_gives_the_highest_day_without_a_wrong_plural(
    inference_award, company_client
):
    allowance = services.open_allowance(inference_award)
    model = inference_award.allowed_models.first()
    upp = inference_award.category.units_per_point
    services.settle(services.reserve(allowance.pk, upp, "r1"), upp, "gw:r1", model)  # 1 point
    client = company_client(allowance.company)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("grants:detail", args=[allowance.pk])).content.decode()

    assert "Unit: points; highest day: 1</figcaption>" in page
    assert "1 points" not in page


def test_a_suspended_service_reads_suspended_in_english(inference_award):
    with translation.override("en"):
        label = str(AllowanceState.SUSPENDED.label)

    assert label == "Suspended"


def test_staff_usage_filter_in_english_offers_suspended_services(call_115, django_user_model):
    user = django_user_model.objects.create_user("op", password="x" * 12, role="operator")
    client = verified_client(user)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("grants_staff:usage")).content.decode()

    assert '<option value="suspended">Suspended</option>' in page
