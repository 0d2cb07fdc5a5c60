"""The organiser's 調整點數 on the meeting page: bad input shows the meeting again (400) with
the error next to its field in that application's row and the amount typed kept."""

import pytest
from django.urls import reverse

from aipower.review.models import Decision

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
    assert "Enter a whole number of points, 0 or more" in field_row(html, f"o{staged.pk}-points")
    assert "\nbudget</textarea>" in field_row(html, f"o{staged.pk}-reason")


def test_override_with_reason_changes_the_points(staged, organiser):
    response = override(verified_client(organiser), staged, points="1500", reason="預算調整")

    assert response.status_code == 302
    assert Decision.objects.get(application=staged).points == 1500
