"""A printed personal-data request keeps the request, the data held and its history, and leaves
out the forms that handle it or delete the data."""

import pytest

from aipower.privacy.enums import Kind
from tests.privacy.test_views import file

pytestmark = pytest.mark.integration


def test_request_page_prints_without_its_handling_and_deletion_forms(
    application, company, operator_client
):
    data_request = file(company, Kind.DELETE)
    operator_client.post(f"/staff/privacy/{data_request.pk}/state/", {"to": "in_progress"})

    page = operator_client.get(f"/staff/privacy/{data_request.pk}/").content.decode()

    assert '<section class="card no-print" id="transition"' in page
    assert '<section class="card no-print" id="deletion"' in page
