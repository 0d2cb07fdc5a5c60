"""The audit log records who did what, from where."""

import pytest
from django.test import RequestFactory

from aipower.core import audit
from aipower.core.models import AuditEntry

pytestmark = pytest.mark.integration


def test_record_stores_actor_object_ip_and_data(django_user_model):
    user = django_user_model.objects.create_user("operator", role="operator")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    request.user = user

    entry = audit.record("call.changed", request=request, obj=user, field="closes_at")

    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.actor == user
    assert stored.ip == "192.0.2.7"
    assert stored.object_type == "accounts.User"
    assert stored.object_id == str(user.pk)
    assert stored.data == {"field": "closes_at"}


def test_record_without_request_has_no_actor(db):
    entry = audit.record("registry.imported", rows=5)
    assert entry.actor is None
    assert entry.ip is None
