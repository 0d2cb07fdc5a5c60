"""Fixtures for the core tests: staff signed in with a verified second factor, by role."""

import pytest

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
