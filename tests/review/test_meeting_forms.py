"""The organiser's 調整點數 on the meeting page: bad input shows the meeting again (400) with
the error next to its field in that application's row and the amount typed kept."""

import pytest
from django.urls import reverse

from aipower.review import services
from aipower.review.models import Decision
from aipower.review.services import ReviewError

from . import test_pages
from .conftest import verified_client
from .test_pages import english, field_row

pytestmark = pytest.mark.integration

staged = test_pages.staged  # the fixture: app_a scored and staged approved at L2


def override(client, app, **data):
    prefix = f"o{app.pk}"
    return client.post(
        reverse("review:application_override", args=[app.pk]),
        {f"{prefix}-{name}": value for name, value in data.items()},
    )


def test_override_without_reason_keeps_the_points_typed(staged, organiser):
    response = override(verified_client(organiser), staged, points="5000", reason="")

    assert response.status_code == 400
    html = response.content.decode()
    points = field_row(html, f"o{staged.pk}-points")
    assert 'value="5000"' in points
    assert "調整點數須填寫理由" in field_row(html, f"o{staged.pk}-reason")
    assert Decision.objects.get(application=staged).points_override is None


def test_override_with_negative_points_says_so_in_english(staged, organiser):
    client = english(verified_client(organiser))

    response = override(client, staged, points="-5", reason="budget")

    assert response.status_code == 400
    html = response.content.decode()
    points_row = field_row(html, f"o{staged.pk}-points")
    assert "Points awarded: enter a whole number, 1 or more" in points_row
    assert "\nbudget</textarea>" in field_row(html, f"o{staged.pk}-reason")


@pytest.mark.parametrize("points", ["0", "-1"])
def test_override_of_no_points_is_refused_next_to_the_field(staged, organiser, points):
    response = override(verified_client(organiser), staged, points=points, reason="不核發")

    assert response.status_code == 400
    html = response.content.decode()
    row = field_row(html, f"o{staged.pk}-points")
    assert "核發點數須為 1 以上之整數" in row
    assert "請由執行單位將決議改為「未獲核定」" in row
    assert f'value="{points}"' in row
    assert "不核發</textarea>" in field_row(html, f"o{staged.pk}-reason")
    decision = Decision.objects.get(application=staged)
    assert decision.points_override is None
    assert decision.points == decision.tier.points


def test_override_reads_points_written_with_thousands_separators(staged, organiser):
    """核發點數 is a text box with the digit keyboard: a number box would send 「2,500」 as
    nothing (refused as missing, shown again empty); the field reads it as 2500."""
    client = verified_client(organiser)
    html = client.get(reverse("review:meeting", args=[staged.batch_id])).content.decode()
    box = field_row(html, f"o{staged.pk}-points")
    assert 'type="text"' in box and 'inputmode="numeric"' in box

    response = override(client, staged, points="2,500", reason="預算調整")

    assert response.status_code == 302
    assert Decision.objects.get(application=staged).points_override == 2500


def test_override_service_refuses_zero_points(staged, organiser):
    decision = Decision.objects.get(application=staged)

    with pytest.raises(ReviewError):
        services.override_points(decision, organiser, points=0, reason="不核發")

    assert Decision.objects.get(application=staged).points_override is None


def test_override_with_reason_changes_the_points(staged, organiser):
    response = override(verified_client(organiser), staged, points="1500", reason="預算調整")

    assert response.status_code == 302
    assert Decision.objects.get(application=staged).points == 1500
