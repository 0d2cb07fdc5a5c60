"""Fixtures for the core tests: staff signed in with a verified second factor, by role; the demo
data, once per module."""

import pytest
from django.core.management import call_command

from aipower.accounts.models import User
from aipower.accounts.roles import sync_role_groups
from tests.conftest import verified_client


@pytest.fixture
def staff_client(db):
    """``staff_client(role)``: a client signed in as a new staff member of ``role``, with the
    role's groups (admin permissions) as ``sync_role_groups`` gives them."""

    def make(role):
        user = User.objects.create_user(role, password="x" * 16, role=role)
        sync_role_groups()
        user.refresh_from_db()
        return verified_client(user)

    return make


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo data ``make run`` loads, once for the module (then removed again)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("load_demo", verbosity=0)
            yield
            transaction.set_rollback(True)
