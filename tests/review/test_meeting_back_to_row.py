"""After 記錄決議, 調整點數 or 退回執行單位 the meeting page opens at that application's row (it
opened at the top of the table: the operator scrolled back down through the batch each time)."""

import pytest
from django.urls import reverse

from aipower.review.models import Decision

from . import test_pages
from .conftest import verified_client

pytestmark = pytest.mark.integration

staged = test_pages.staged  # the fixture: app_a scored and staged approved at L2


def at_row(app):
    return f"{reverse('review:meeting', args=[app.batch_id])}#row-{app.number}"


def test_recording_a_decision_goes_back_to_its_row(staged, operator):
    response = verified_client(operator).post(
        reverse("review:application_decision", args=[staged.pk]),
        {f"d{staged.pk}-outcome": "not_approved", f"d{staged.pk}-reasons": "資料集不足"},
    )

    assert response.status_code == 302
    assert response["Location"] == at_row(staged)
    assert Decision.objects.get(application=staged).outcome == "not_approved"


def test_the_organisers_amount_and_send_back_go_back_to_the_row(staged, organiser):
    client = verified_client(organiser)

    adjusted = client.post(
        reverse("review:application_override", args=[staged.pk]),
        {f"o{staged.pk}-points": "2500", f"o{staged.pk}-reason": "預算調整"},
    )
    sent_back = client.post(
        reverse("review:application_send_back", args=[staged.pk]),
        {f"b{staged.pk}-reason": "請重議"},
    )

    assert (adjusted.status_code, adjusted["Location"]) == (302, at_row(staged))
    assert (sent_back.status_code, sent_back["Location"]) == (302, at_row(staged))
