"""The correction form shows an application's contacts as on file (names, phones, addresses):
staff opening it is in the audit log, as the application's own staff page is; it showed them
with no entry."""

import pytest

from aipower.core.models import AuditEntry
from aipower.privacy.enums import Kind

from .test_views import file

pytestmark = pytest.mark.integration


def test_opening_the_correction_form_is_audited(application, company, operator, operator_client):
    data_request = file(company, Kind.CORRECT, details="電話")

    response = operator_client.get(f"/staff/privacy/{data_request.pk}/correct/{application.pk}/")

    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="privacy.profile_viewed")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        operator,
        "applications.Application",
        str(application.pk),
    )
    assert entry.data == {"data_request": data_request.pk}


def test_a_correction_refused_shown_again_is_not_a_second_reading(
    application, company, operator_client
):
    data_request = file(company, Kind.CORRECT, details="電話")

    response = operator_client.post(
        f"/staff/privacy/{data_request.pk}/correct/{application.pk}/", {}
    )

    assert response.status_code == 200  # the form again, with its errors
    assert not AuditEntry.objects.filter(action="privacy.profile_viewed").exists()
