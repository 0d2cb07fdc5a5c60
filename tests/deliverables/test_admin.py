"""The deliverables in the admin: read-only, and the file shown by name and hash only."""

import pytest
from django.contrib import admin

from aipower.accounts.models import User
from aipower.deliverables import services
from aipower.deliverables.enums import Item
from aipower.deliverables.models import DemoAttendance, Notice, Submission
from tests.conftest import verified_client

from .conftest import upload

pytestmark = pytest.mark.integration


@pytest.fixture
def admin_client_verified(db):
    user = User.objects.create_superuser("op", password="x" * 16, role="operator")
    return verified_client(user)


def test_admin_shows_a_submission_read_only(admin_client_verified, inference_ended, company_user):
    submission = services.submit(
        inference_ended,
        Item.REPORT,
        by=company_user(inference_ended.company),
        upload=upload("結案報告.pdf"),
    )

    listing = admin_client_verified.get("/admin/deliverables/submission/")
    page = admin_client_verified.get(f"/admin/deliverables/submission/{submission.pk}/change/")

    assert listing.status_code == 200
    assert page.status_code == 200
    text = page.content.decode()
    assert "結案報告.pdf" in text
    assert submission.sha256 in text
    assert submission.file.name not in text


@pytest.mark.parametrize("model", [Submission, DemoAttendance, Notice])
def test_admin_cannot_add_change_or_delete(admin_client_verified, model):
    request = type("Request", (), {"user": User.objects.get(username="op")})()
    model_admin = admin.site._registry[model]

    assert model_admin.has_add_permission(request) is False
    assert model_admin.has_change_permission(request) is False
    assert model_admin.has_delete_permission(request) is False
