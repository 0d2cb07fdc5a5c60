"""Staff reading an application is audited whatever the request's method: a page, print or PDF
of the application answered to a POST (or PUT, PATCH, DELETE) carried its contacts' personal
data without an entry, since the entry was written for GET only."""

import pytest
from django.urls import reverse

from aipower.core.models import AuditEntry

from .conftest import verified_client

pytestmark = pytest.mark.integration

PAGES = {
    "review:application": "review.application_viewed",
    "review:application_print": "review.application_printed",
    "review:application_pdf": "review.application_pdf",
}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_application_shown_to_any_method_is_audited(name, method, app_a, operator):
    client = verified_client(operator)
    before = AuditEntry.objects.filter(action=PAGES[name], object_id=str(app_a.pk)).count()

    response = getattr(client, method)(reverse(name, args=[app_a.pk]))

    entries = AuditEntry.objects.filter(action=PAGES[name], object_id=str(app_a.pk))
    if response.status_code == 200:
        assert entries.count() == before + 1
        assert entries.latest("id").actor == operator
    else:
        # Not shown at all: only GET (and HEAD, without the body) reads the application.
        assert response.status_code == 405
        assert app_a.number.encode() not in response.content


@pytest.mark.parametrize("name", sorted(PAGES))
def test_an_application_read_by_get_is_audited(name, app_a, operator):
    response = verified_client(operator).get(reverse(name, args=[app_a.pk]))

    assert response.status_code == 200
    entry = AuditEntry.objects.filter(action=PAGES[name]).latest("id")
    assert (entry.actor, entry.object_type, entry.object_id) == (
        operator,
        "applications.Application",
        str(app_a.pk),
    )
