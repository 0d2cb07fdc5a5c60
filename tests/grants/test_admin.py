"""The ledger in the admin: read-only entries, suspend and reinstate through the service."""

import pytest
from django.contrib import admin
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.test import RequestFactory

from aipower.core.models import AuditEntry
from aipower.grants import services
from aipower.grants.models import Allowance, AllowanceState, LedgerEntry

pytestmark = pytest.mark.integration


@pytest.fixture
def operator_request(django_user_model):
    user = django_user_model.objects.create_superuser("op", password="x" * 16, role="operator")
    request = RequestFactory().post("/admin/grants/allowance/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_ledger_entries_are_read_only_in_the_admin(inference_award, operator_request):
    allowance = services.open_allowance(inference_award)
    entry_admin = admin.site._registry[LedgerEntry]

    assert entry_admin.has_add_permission(operator_request) is False
    assert entry_admin.has_change_permission(operator_request, allowance.entries.get()) is False
    assert entry_admin.has_delete_permission(operator_request, allowance.entries.get()) is False


def test_admin_suspends_and_reinstates_with_audit(inference_award, operator_request):
    allowance = services.open_allowance(inference_award)
    allowance_admin = admin.site._registry[Allowance]
    queryset = Allowance.objects.filter(pk=allowance.pk)

    allowance_admin.suspend(operator_request, queryset)
    suspended = Allowance.objects.get(pk=allowance.pk).state
    refused = services.reserve(allowance.pk, 1000, "r1")
    allowance_admin.reinstate(operator_request, queryset)

    assert suspended == AllowanceState.SUSPENDED
    assert refused is None
    assert Allowance.objects.get(pk=allowance.pk).state == AllowanceState.ACTIVE
    assert list(
        AuditEntry.objects.filter(action="grants.state")
        .order_by("id")
        .values_list("data__state", flat=True)
    ) == ["suspended", "active"]
