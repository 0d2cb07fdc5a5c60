"""Every model the admin registers: its list and one object's page render with the demo data
(a typo in ``list_display``, a broken display method or a filter on a missing field fails here,
not in front of the operator)."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from aipower.accounts.models import User
from aipower.accounts.roles import sync_role_groups
from aipower.applications.models import SentMail
from aipower.core.models import AuditEntry
from aipower.privacy.enums import Kind, Person
from aipower.privacy.models import DataRequest
from tests.conftest import verified_client

pytestmark = pytest.mark.integration


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.mark.parametrize(
    "model", [model for model, _admin in _registered()], ids=lambda model: model._meta.label
)
def test_admin_list_and_object_pages_render(demo, db, model):
    user = User.objects.create_superuser("admin-smoke", password="x" * 16, role="operator")
    client = verified_client(user)
    opts = model._meta
    listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert listing.status_code == 200, listing.content[:500]
    obj = model._default_manager.order_by("pk").first()
    if obj is not None:
        change = client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
        assert change.status_code == 200


def test_admin_pages_carry_the_sites_icon_and_link_styles(db):
    from django.contrib.staticfiles import finders

    user = User.objects.create_superuser("admin-look", password="x" * 16, role="operator")
    html = verified_client(user).get(reverse("admin:index")).content.decode()

    assert 'rel="icon" href="/static/core/img/logo.svg"' in html
    assert 'href="/static/core/css/admin.css"' in html
    with open(finders.find("core/css/admin.css"), encoding="utf-8") as stylesheet:
        assert "div.breadcrumbs a {\n  text-decoration: underline;" in stylesheet.read()


@pytest.mark.parametrize(
    "label",
    ["applications.Application", "applications.SentMail", "privacy.DataRequest", "accounts.User"],
)
def test_admin_object_page_of_personal_data_is_audited_the_list_is_not(demo, db, label):
    model = apps.get_model(label)
    if model is DataRequest and not DataRequest.objects.exists():
        company = apps.get_model("accounts.Company").objects.order_by("pk").first()
        DataRequest.objects.create(
            company=company,
            kind=Kind.QUERY,
            person=Person.CONTACT,
            requester_name="王小明",
            requester_email="ming@example.com",
        )
    if model is SentMail and not SentMail.objects.exists():
        SentMail.objects.create(to=["ming@example.com"], subject="收執聯", body="王小明 您好")
    obj = model._default_manager.order_by("pk").first()
    # No role's permissions reach the users' admin (the staff accounts page keeps them): a
    # superuser reads it; the other records an organiser reads.
    if label == "accounts.User":
        user = User.objects.create_superuser("super-reads", password="x" * 16, role="operator")
    else:
        user = User.objects.create_user("organiser-reads", password="x" * 16, role="organiser")
    sync_role_groups()
    user.refresh_from_db()
    client = verified_client(user)
    opts = model._meta

    listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]))

    assert (listing.status_code, page.status_code) == (200, 200)
    entry = AuditEntry.objects.get(action="admin.view")
    assert (entry.actor, entry.object_type, entry.object_id) == (user, label, str(obj.pk))


def test_admin_pages_of_personal_data_are_the_audited_ones():
    audited = sorted(
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if getattr(model_admin, "audit_reads", False)
    )

    # A survey answer names the company's people and figures, as the staff page that audits
    # its reading shows them.
    assert audited == [
        "accounts.User",
        "applications.Application",
        "applications.SentMail",
        "followup.Response",
        "followup.ResponseVersion",
        "privacy.DataRequest",
    ]
